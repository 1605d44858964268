import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type FieldErrors } from '../api/errors';
import type { SettingsVersion } from '../api/types';
import { SettingsHistory } from '../components/SettingsHistory';
import { actionError } from '../components/StatusItem';
import { useApp } from '../context';
import { humanize } from '../format';
import { configPatch, formFromSettings, WEEKDAYS, type ConfigForm } from '../helpdeskConfig';
import { CATEGORIES } from '../triage';

const DAY_NAMES: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} class="field-error">
      {text}
    </p>
  ) : null;
}

/** Help-desk configuration for admins and managers: tags, categories with baseline minutes, the business calendar. */
export function HelpdeskConfig() {
  const { api } = useApp();
  const [current, setCurrent] = useState<SettingsVersion | null>(null);
  const [form, setForm] = useState<ConfigForm | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fill = useCallback((version: SettingsVersion) => {
    setCurrent(version);
    setForm(formFromSettings(version.settings));
  }, []);
  useEffect(() => {
    api
      .helpdeskSettings()
      .then(fill)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load the help-desk settings.'));
      });
  }, [api, fill]);

  if (!form || !current) {
    return (
      <>
        <h1 tabIndex={-1}>Help-desk setup</h1>
        {error ? <p class="notice error" role="alert">{error}</p> : <p class="notice" role="status">Loading…</p>}
      </>
    );
  }

  const update = (change: Partial<ConfigForm>) => {
    setForm({ ...form, ...change });
  };
  const err = (name: string) => fields[name]?.join(' ');
  const invalid = (name: string) => (err(name) ? { 'aria-invalid': true as const, 'aria-describedby': `hd-${name.replace(/\./g, '-')}-error` } : {});

  const save = async (e: Event) => {
    e.preventDefault();
    setFields({});
    setError(null);
    setSaved(null);
    const result = configPatch(form, current.settings);
    if ('errors' in result) {
      setFields(result.errors);
      setError('Some fields need fixing. Nothing was saved.');
      return;
    }
    setBusy(true);
    try {
      const next = await api.updateHelpdeskSettings(result.patch);
      fill(next);
      setSaved(`Saved as version ${next.version}.`);
    } catch (err2) {
      if (err2 instanceof ApiError && Object.keys(err2.fields).length > 0) setFields(err2.fields);
      setError(`${actionError(err2, 'Could not save.')} Version ${current.version} stays in force.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Help-desk setup</h1>
      <p class="muted">
        Version {current.version} in force{current.created_at ? ` since ${new Date(current.created_at).toLocaleString()}` : ' (defaults)'}. Every save makes a new version.
      </p>
      <form class="form settings-form card" onSubmit={(e) => void save(e)} noValidate>
        <fieldset>
          <legend>Tags</legend>
          <div class="field">
            <label for="hd-helpdesk_tags">Help-desk tags (a post with one becomes a ticket)</label>
            <input id="hd-helpdesk_tags" value={form.helpdeskTags} {...invalid('helpdesk_tags')} onInput={(e) => {
              update({ helpdeskTags: e.currentTarget.value });
            }} />
            <FieldError id="hd-helpdesk_tags-error" text={err('helpdesk_tags')} />
          </div>
          <h3 class="small-heading">Tags that set a category</h3>
          <FieldError id="hd-category_tags-error" text={err('category_tags')} />
          <ul class="tag-rows">
            {form.categoryTags.map((row, i) => (
              <li key={i}>
                <label class="visually-hidden" for={`hd-ctag-${i}`}>
                  Tag {i + 1}
                </label>
                <input id={`hd-ctag-${i}`} value={row.tag} onInput={(e) => {
                  const rows = [...form.categoryTags];
                  rows[i] = { ...row, tag: e.currentTarget.value };
                  update({ categoryTags: rows });
                }} />
                <label class="visually-hidden" for={`hd-ccat-${i}`}>
                  Category of tag {i + 1}
                </label>
                <select id={`hd-ccat-${i}`} value={row.category} onChange={(e) => {
                  const rows = [...form.categoryTags];
                  rows[i] = { ...row, category: e.currentTarget.value };
                  update({ categoryTags: rows });
                }}>
                  {CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {humanize(c)}
                    </option>
                  ))}
                </select>
                <button type="button" class="small secondary" onClick={() => {
                  update({ categoryTags: form.categoryTags.filter((_, j) => j !== i) });
                }}>
                  Remove<span class="visually-hidden"> tag {row.tag}</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" class="small secondary" onClick={() => {
            update({ categoryTags: [...form.categoryTags, { tag: '', category: 'other' }] });
          }}>
            Add a tag
          </button>
        </fieldset>
        <fieldset>
          <legend>Categories: baseline minutes a ticket would take</legend>
          <FieldError id="hd-aht_minutes-error" text={err('aht_minutes')} />
          <div class="grid">
            {CATEGORIES.map((c) => {
              const key = `aht_minutes.${c}`;
              const own = err(key);
              return (
                <div class="field" key={c}>
                  <label for={`hd-minutes-${c}`}>{humanize(c)}</label>
                  <input
                    id={`hd-minutes-${c}`}
                    type="number"
                    step="any"
                    min="0"
                    value={form.minutes[c] ?? ''}
                    aria-invalid={own || err('aht_minutes') ? true : undefined}
                    aria-describedby={own ? `hd-minutes-${c}-error` : err('aht_minutes') ? 'hd-aht_minutes-error' : undefined}
                    onInput={(e) => {
                      update({ minutes: { ...form.minutes, [c]: e.currentTarget.value } });
                    }}
                  />
                  <FieldError id={`hd-minutes-${c}-error`} text={own} />
                </div>
              );
            })}
          </div>
        </fieldset>
        <fieldset>
          <legend>Business calendar</legend>
          <div class="field">
            <label for="hd-calendar-time_zone">Time zone (IANA, e.g. Europe/Paris)</label>
            <input id="hd-calendar-time_zone" value={form.timeZone} {...invalid('calendar.time_zone')} onInput={(e) => {
              update({ timeZone: e.currentTarget.value });
            }} />
            <FieldError id="hd-calendar-time_zone-error" text={err('calendar.time_zone')} />
          </div>
          <fieldset class="days">
            <legend>Working days</legend>
            {WEEKDAYS.map((d) => (
              <label class="check" key={d}>
                <input type="checkbox" checked={form.workingDays.includes(d)} onChange={(e) => {
                  const on = e.currentTarget.checked;
                  update({ workingDays: on ? [...form.workingDays, d] : form.workingDays.filter((x) => x !== d) });
                }} />{' '}
                {DAY_NAMES[d]}
              </label>
            ))}
            <FieldError id="hd-calendar-working_days-error" text={err('calendar.working_days')} />
          </fieldset>
          <div class="grid">
            <div class="field">
              <label for="hd-calendar-day_start">Day starts (HH:MM)</label>
              <input id="hd-calendar-day_start" value={form.dayStart} {...invalid('calendar.day_start')} onInput={(e) => {
                update({ dayStart: e.currentTarget.value });
              }} />
              <FieldError id="hd-calendar-day_start-error" text={err('calendar.day_start')} />
            </div>
            <div class="field">
              <label for="hd-calendar-day_end">Day ends (HH:MM)</label>
              <input id="hd-calendar-day_end" value={form.dayEnd} {...invalid('calendar.day_end')} onInput={(e) => {
                update({ dayEnd: e.currentTarget.value });
              }} />
              <FieldError id="hd-calendar-day_end-error" text={err('calendar.day_end')} />
            </div>
          </div>
          <div class="field">
            <label for="hd-calendar-holidays">Holidays (one YYYY-MM-DD per line)</label>
            <textarea id="hd-calendar-holidays" rows={4} value={form.holidays} {...invalid('calendar.holidays')} onInput={(e) => {
              update({ holidays: e.currentTarget.value });
            }} />
            <FieldError id="hd-calendar-holidays-error" text={err('calendar.holidays')} />
          </div>
        </fieldset>
        <FieldError id="hd-settings-error" text={err('settings')} />
        {error ? (
          <p class="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {saved ? <p class="notice ok" role="status">{saved}</p> : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save help-desk setup'}
        </button>
      </form>
      <SettingsHistory current={current.version} />
    </>
  );
}
