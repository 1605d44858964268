import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ReportPeriod } from '../api/client';
import { ApiError, type FieldErrors } from '../api/errors';
import type { HelpdeskReport, SettingsVersion, Summary } from '../api/types';
import { bars, cumulative, cumulativeTarget, linePoints, niceMax, pathOf } from '../charts';
import { actionError } from '../components/StatusItem';
import { useApp } from '../context';
import { exportFileName, hoursLabel, humanize, lastDays, money, number1, percent } from '../format';
import { saveBlob } from '../download';
import { href } from '../router';
import { CATEGORIES } from '../triage';
import { settingsPatch } from '../reports';

const W = 560;
const H = 160;
const PAD = 28;

function shortDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

function Chart({ title, desc, children, labels, max, unit }: { title: string; desc: string; children: preact.ComponentChildren; labels: string[]; max: number; unit: string }) {
  const id = title.replace(/\W+/g, '-').toLowerCase();
  const step = Math.max(1, Math.ceil(labels.length / 6));
  return (
    <figure class="card chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${W + PAD} ${H + 24}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <desc id={`${id}-desc`}>{desc}</desc>
        <g class="axis">
          <line x1={PAD} y1={H} x2={W + PAD} y2={H} />
          <text x={PAD - 4} y={10} text-anchor="end">
            {number1(max)}
          </text>
          <text x={PAD - 4} y={H} text-anchor="end">
            0
          </text>
          <text x={PAD + 4} y={10} class="unit">
            {unit}
          </text>
          {labels.map((l, i) =>
            i % step === 0 ? (
              <text key={`${l}-${i}`} x={PAD + (labels.length <= 1 ? W / 2 : ((i + 0.5) / labels.length) * W)} y={H + 14} text-anchor="middle">
                {l}
              </text>
            ) : null,
          )}
        </g>
        <g transform={`translate(${PAD} 0)`}>{children}</g>
      </svg>
    </figure>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div class="figure">
      <span class="figure-value">{value}</span>
      <span class="figure-label">{label}</span>
      {note ? <span class="figure-note">{note}</span> : null}
    </div>
  );
}

const TARGET_NAMES: Record<string, { label: string; format: (n: number | null) => string }> = {
  hours_saved_per_month: { label: 'Hours saved per month (expected)', format: (n) => number1(n) },
  median_first_response_business_hours: { label: 'Median first response', format: (n) => hoursLabel(n) },
  peer_resolved_share: { label: 'Resolved by peers', format: (n) => percent(n) },
};

function Charts({ report }: { report: HelpdeskReport }) {
  const buckets = report.by_period;
  const labels = buckets.map((b) => shortDate(b.period.since));
  const tickets = buckets.map((b) => b.summary.tickets);
  const ticketMax = niceMax(Math.max(0, ...tickets));
  const saved = cumulative(buckets.map((b) => b.summary.expected.hours_saved));
  const perMonth = report.assumptions.targets.hours_saved_per_month;
  const days = buckets.map((b) => (Date.parse(b.period.until) - Date.parse(b.period.since)) / 86_400_000);
  const target = perMonth ? cumulativeTarget(perMonth, days) : [];
  const savedMax = niceMax(Math.max(0, ...saved, ...target));
  const response = buckets.map((b) => b.summary.first_response_business_hours.median);
  const responseMax = niceMax(Math.max(0, ...response.map((v) => v ?? 0)));
  const categories = Object.entries(report.by_category);
  const catMax = niceMax(Math.max(0, ...categories.map(([, s]) => s.tickets)));
  const slot = buckets.length > 0 ? W / buckets.length : W;
  const centered = (values: (number | null)[], max: number) =>
    linePoints(values, W - slot, H, max).map((p) => (p ? { x: p.x + slot / 2, y: p.y } : null));

  return (
    <div class="charts">
      <Chart title={`Tickets per ${report.group}`} desc={tickets.map((t, i) => `${labels[i] ?? ''}: ${t}`).join(', ')} labels={labels} max={ticketMax} unit="tickets">
        {bars(tickets, W, H, ticketMax).map((b, i) => (
          <rect key={i} class="bar" x={b.x} y={b.y} width={b.w} height={b.h} />
        ))}
      </Chart>
      <Chart
        title="Hours saved, cumulative, against target"
        desc={`Expected hours saved reach ${number1(saved[saved.length - 1] ?? 0)}${target.length ? `; the target line reaches ${number1(target[target.length - 1] ?? 0)}` : ''}.`}
        labels={labels}
        max={savedMax}
        unit="hours"
      >
        <path class="line" d={pathOf(centered(saved, savedMax))} />
        {target.length ? <path class="line target" d={pathOf(centered(target, savedMax))} /> : null}
      </Chart>
      <Chart title="Median first response (business hours)" desc={response.map((r, i) => `${labels[i] ?? ''}: ${hoursLabel(r)}`).join(', ')} labels={labels} max={responseMax} unit="business hours">
        <path class="line" d={pathOf(centered(response, responseMax))} />
        {centered(response, responseMax).map((p, i) => (p ? <circle key={i} cx={p.x} cy={p.y} r={3} class="dot" /> : null))}
      </Chart>
      <figure class="card chart">
        <figcaption>Tickets by category</figcaption>
        <div class="table-wrap">
        <table class="by-category">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Tickets</th>
              <th scope="col">Peer-resolved</th>
              <th scope="col">Hours saved (expected)</th>
            </tr>
          </thead>
          <tbody>
            {categories.length === 0 ? (
              <tr>
                <td colSpan={4}>No tickets in this period.</td>
              </tr>
            ) : null}
            {categories.map(([name, s]) => (
              <tr key={name}>
                <th scope="row">{humanize(name)}</th>
                <td>
                  <span class="hbar" style={{ width: `${(s.tickets / catMax) * 6}rem` }} aria-hidden="true" /> {s.tickets}
                </td>
                <td>{percent(s.peer_resolved_share)}</td>
                <td>{number1(s.expected.hours_saved)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </figure>
    </div>
  );
}

function Headline({ report }: { report: HelpdeskReport }) {
  const s: Summary = report.summary;
  const currency = report.assumptions.currency;
  return (
    <section aria-labelledby="headline-title">
      <h2 id="headline-title">Headline figures</h2>
      <div class="figures">
        <Figure label="Hours saved (conservative – expected)" value={`${number1(s.conservative.hours_saved)} – ${number1(s.expected.hours_saved)}`} />
        <Figure label="Cost saved (conservative – expected)" value={`${money(s.conservative.cost_saved, currency)} – ${money(s.expected.cost_saved, currency)}`} />
        <Figure label="Resolved by peers" value={percent(s.peer_resolved_share)} note={`${s.peer_resolved} of ${s.resolved} resolved`} />
        <Figure label="Median first response" value={hoursLabel(s.first_response_business_hours.median)} note={`p90 ${hoursLabel(s.first_response_business_hours.p90)} (business hours)`} />
        <Figure label="Tickets" value={String(s.tickets)} note={`previous period ${report.previous_period.summary.tickets}`} />
        <Figure label="Support minutes" value={number1(s.support_minutes)} note={`reuse ${s.reuse}`} />
      </div>
      {report.targets.length > 0 ? (
        <div class="table-wrap card targets">
        <table>
          <caption>Targets</caption>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">Goal</th>
              <th scope="col">Now</th>
              <th scope="col">Previous</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {report.targets.map((t) => {
              const meta = TARGET_NAMES[t.name] ?? { label: humanize(t.name), format: number1 };
              return (
                <tr key={t.name}>
                  <th scope="row">{meta.label}</th>
                  <td>{meta.format(t.target)}</td>
                  <td>{meta.format(t.actual)}</td>
                  <td>{meta.format(t.previous)}</td>
                  <td>
                    <span class={`badge ${t.met ? 'ok' : t.met === false ? 'warn' : ''}`}>{t.met ? 'Met' : t.met === false ? 'Not met' : 'No data'}</span> {t.trend !== 'unknown' ? `(${t.trend})` : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        </div>
      ) : (
        <p class="muted">No targets set yet. Set them below.</p>
      )}
    </section>
  );
}

function Assumptions({ report }: { report: HelpdeskReport }) {
  const a = report.assumptions;
  const caveats = Array.isArray(report.caveats) ? report.caveats : [report.caveats];
  return (
    <aside class="card assumptions" aria-labelledby="formula-title">
      <h2 id="formula-title">How these figures are computed</h2>
      <pre class="formula">{report.formula}</pre>
      <p class="muted">Settings version {report.settings_version}. Cost per hour {money(a.cost_per_hour, a.currency)}; {number1(a.m_reply)} min per support reply and {number1(a.m_triage)} min triage when nothing is logged; reuse counts for {a.reuse_window_days} days.</p>
      <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Baseline minutes</th>
            <th scope="col">Would have been a ticket</th>
          </tr>
        </thead>
        <tbody>
          {CATEGORIES.map((c) => (
            <tr key={c}>
              <th scope="row">{humanize(c)}</th>
              <td>{number1(a.aht_minutes[c])}</td>
              <td>{percent(a.probability[c])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <ul class="caveats">
        {caveats.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      {report.privacy.counts_only_tickets > 0 ? <p class="muted">{report.privacy.note}</p> : null}
    </aside>
  );
}

const NUMBER_FIELDS: { key: string; label: string }[] = [
  { key: 'targets.hours_saved_per_month', label: 'Target: hours saved per month' },
  { key: 'targets.median_first_response_business_hours', label: 'Target: median first response (business hours)' },
  { key: 'targets.peer_resolved_share', label: 'Target: share resolved by peers (0 to 1)' },
  { key: 'cost_per_hour', label: 'Cost per support hour' },
  { key: 'm_reply', label: 'Minutes per support reply' },
  { key: 'm_triage', label: 'Minutes of triage per ticket' },
  { key: 'unanswered_after_business_hours', label: 'Unanswered after (business hours)' },
];

function readPath(obj: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);
}

function SettingsEditor({ onSaved }: { onSaved: () => void }) {
  const { api } = useApp();
  const [current, setCurrent] = useState<SettingsVersion | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fill = useCallback((v: SettingsVersion) => {
    setCurrent(v);
    const next: Record<string, string> = {};
    const settings = v.settings as unknown as Record<string, unknown>;
    for (const { key } of NUMBER_FIELDS) {
      const value = readPath(settings, key);
      next[key] = typeof value === 'number' ? String(value) : '';
    }
    for (const c of CATEGORIES) {
      next[`aht_minutes.${c}`] = String(v.settings.aht_minutes[c] ?? '');
      next[`probability.${c}`] = String(v.settings.probability[c] ?? '');
    }
    setValues(next);
  }, []);

  useEffect(() => {
    api
      .helpdeskSettings()
      .then(fill)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load the settings.'));
      });
  }, [api, fill]);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setError(null);
    setSaved(null);
    try {
      const next = await api.updateHelpdeskSettings(settingsPatch(values));
      fill(next);
      setSaved(`Saved as version ${next.version}.`);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setFields(err.fields);
      setError(`${actionError(err, 'Could not save.')} The version in force is unchanged.`);
    } finally {
      setBusy(false);
    }
  };

  const input = (key: string, label: string, errorKey = key) => {
    const id = `setting-${key.replace(/\./g, '-')}`;
    const err = fields[errorKey]?.join(' ');
    return (
      <div class="field" key={key}>
        <label for={id}>{label}</label>
        <input
          id={id}
          type="number"
          step="any"
          value={values[key] ?? ''}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
          onInput={(ev) => {
            setValues({ ...values, [key]: ev.currentTarget.value });
          }}
        />
        {err ? (
          <p id={`${id}-error`} class="field-error">
            {err}
          </p>
        ) : null}
      </div>
    );
  };
  const mapError = (name: string) => fields[name]?.join(' ');

  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings and targets</h2>
      {current ? (
        <p class="muted">
          Version {current.version} in force{current.created_at ? ` since ${new Date(current.created_at).toLocaleString()}` : ' (defaults)'}. Every save makes a new version; reports print the version they used. <a href={href({ name: 'helpdesk-config' })}>Every version and what it changed</a> is under Help-desk setup.
        </p>
      ) : null}
      {!current && !error ? <p class="notice">Loading…</p> : null}
      {current ? (
        <form class="form settings-form" onSubmit={(e) => void save(e)} noValidate>
          <div class="grid">{NUMBER_FIELDS.map(({ key, label }) => input(key, label))}</div>
          <fieldset>
            <legend>Baseline minutes per ticket, by category</legend>
            {mapError('aht_minutes') ? <p class="field-error">{mapError('aht_minutes')}</p> : null}
            <div class="grid">{CATEGORIES.map((c) => input(`aht_minutes.${c}`, humanize(c), 'aht_minutes'))}</div>
          </fieldset>
          <fieldset>
            <legend>Probability it would have been a ticket (0 to 1)</legend>
            {mapError('probability') ? <p class="field-error">{mapError('probability')}</p> : null}
            <div class="grid">{CATEGORIES.map((c) => input(`probability.${c}`, humanize(c), 'probability'))}</div>
          </fieldset>
          {error ? (
            <p class="form-error" role="alert">
              {error}
            </p>
          ) : null}
          {saved ? <p class="notice ok" role="status">{saved}</p> : null}
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </form>
      ) : null}
      {error && !current ? <p class="notice error">{error}</p> : null}
    </section>
  );
}

/** The managers' dashboard: period, headline figures against targets, charts, formula, exports, settings. */
export function Reports() {
  const { api, sessionEnded } = useApp();
  const [preset, setPreset] = useState('30');
  const [period, setPeriod] = useState<ReportPeriod>({ ...lastDays(30), group: 'week' });
  const [report, setReport] = useState<HelpdeskReport | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [download, setDownload] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api
      .helpdeskReport(period)
      .then((r) => {
        if (cancelled) return;
        setReport(r);
        setError(null);
        setFields({});
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        if (e instanceof ApiError) setFields(e.fields);
        setError(actionError(e, 'Could not load the report.'));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [api, period, generation, sessionEnded]);

  const choosePreset = (value: string) => {
    setPreset(value);
    if (value !== 'custom') setPeriod({ ...lastDays(Number(value)), group: Number(value) > 120 ? 'month' : 'week' });
  };

  const fetchFile = async (kind: 'csv' | 'xlsx') => {
    setDownload(`Preparing the ${kind === 'csv' ? 'CSV' : 'Excel'} file…`);
    try {
      const path = kind === 'csv' ? '/api/v1/reports/helpdesk/tickets.csv' : '/api/v1/reports/helpdesk/workbook.xlsx';
      const blob = await api.download(path, { since: period.since, until: period.until });
      saveBlob(blob, exportFileName(kind, period.since ?? '', period.until ?? ''));
      setDownload(`Downloaded ${exportFileName(kind, period.since ?? '', period.until ?? '')}.`);
    } catch (e) {
      setDownload(actionError(e, 'The download failed.'));
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Help-desk report</h1>
      <form class="card filters" aria-label="Period" onSubmit={(e) => {
        e.preventDefault();
      }}>
        <div class="field inline">
          <label for="report-preset">Period</label>
          <select id="report-preset" value={preset} onChange={(e) => {
            choosePreset(e.currentTarget.value);
          }}>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="365">Last 12 months</option>
            <option value="custom">Custom</option>
          </select>
        </div>
        <div class="field inline">
          <label for="report-since">From</label>
          <input id="report-since" type="date" value={period.since ?? ''} aria-invalid={fields.since ? true : undefined} onChange={(e) => {
            setPreset('custom');
            setPeriod({ ...period, since: e.currentTarget.value });
          }} />
        </div>
        <div class="field inline">
          <label for="report-until">Until</label>
          <input id="report-until" type="date" value={period.until ?? ''} aria-invalid={fields.until ? true : undefined} onChange={(e) => {
            setPreset('custom');
            setPeriod({ ...period, until: e.currentTarget.value });
          }} />
        </div>
        <div class="field inline">
          <label for="report-group">Group by</label>
          <select id="report-group" value={period.group ?? 'week'} onChange={(e) => {
            setPeriod({ ...period, group: e.currentTarget.value === 'month' ? 'month' : 'week' });
          }}>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div class="downloads">
          <button type="button" class="secondary" onClick={() => void fetchFile('csv')}>
            Download CSV
          </button>
          <button type="button" class="secondary" onClick={() => void fetchFile('xlsx')}>
            Download Excel
          </button>
        </div>
      </form>
      {download ? <p class="muted" role="status">{download}</p> : null}
      {fields.since || fields.until ? <p class="field-error" role="alert">{[...(fields.since ?? []), ...(fields.until ?? [])].join(' ')}</p> : null}
      {error && !fields.since && !fields.until ? <p class="notice error" role="alert">{error}</p> : null}
      {loading && !report ? <p class="notice" role="status">Loading…</p> : null}
      {report ? (
        <div class="report" aria-busy={loading}>
          <p class="muted">
            {shortDate(report.period.since)} – {shortDate(report.period.until)} · {report.engagement.active_people} active people · {report.engagement.posts} posts · {report.engagement.replies} replies
          </p>
          <div class="report-grid">
            <div>
              <Headline report={report} />
              <Charts report={report} />
            </div>
            <Assumptions report={report} />
          </div>
        </div>
      ) : null}
      <SettingsEditor onSaved={() => {
        setGeneration((g) => g + 1);
      }} />
    </>
  );
}
