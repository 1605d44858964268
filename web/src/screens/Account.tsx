import { useEffect, useState } from 'preact/hooks';
import { ApiError, type FieldErrors } from '../api/errors';
import type { EmailPreferences } from '../api/types';
import { actionError } from '../components/StatusItem';
import { TextField } from '../components/TextField';
import { useApp } from '../context';
import { humanize } from '../format';

/** Editing my profile: name, bio, department, title, location, avatar. */
export function ProfileEdit() {
  const { api, me, setMe, sessionEnded } = useApp();
  const [displayName, setDisplayName] = useState(me.display_name);
  const [note, setNote] = useState(me.source?.note ?? '');
  const [department, setDepartment] = useState(me.hubbub?.department ?? '');
  const [jobTitle, setJobTitle] = useState(me.hubbub?.job_title ?? '');
  const [locationText, setLocationText] = useState(me.hubbub?.location ?? '');
  const [avatar, setAvatar] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setError(null);
    setSaved(false);
    try {
      let updated = await api.updateProfile({ display_name: displayName, note, department, job_title: jobTitle, location: locationText });
      if (avatar) updated = await api.updateAvatar(avatar);
      setMe({ ...me, ...updated, role: updated.role ?? me.role });
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) sessionEnded();
      if (err instanceof ApiError && Object.keys(err.fields).length > 0) setFields(err.fields);
      setError(actionError(err, 'Could not save your profile.'));
    } finally {
      setBusy(false);
    }
  };
  const f = (name: string) => fields[name]?.join(' ');

  return (
    <>
      <h1 tabIndex={-1}>Edit profile</h1>
      <form class="card form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField id="profile-display-name" label="Display name" value={displayName} onInput={setDisplayName} error={f('display_name')} />
        <TextField id="profile-note" label="About you" value={note} onInput={setNote} error={f('note')} multiline />
        <TextField id="profile-department" label="Department" value={department} onInput={setDepartment} error={f('department')} />
        <TextField id="profile-job-title" label="Job title" value={jobTitle} onInput={setJobTitle} error={f('job_title')} />
        <TextField id="profile-location" label="Location" value={locationText} onInput={setLocationText} error={f('location')} />
        <div class="field">
          <label for="profile-avatar">Avatar image</label>
          <input
            id="profile-avatar"
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            aria-invalid={f('avatar') ? true : undefined}
            aria-describedby={f('avatar') ? 'profile-avatar-error' : undefined}
            onChange={(e) => {
              setAvatar(e.currentTarget.files?.[0] ?? null);
            }}
          />
          {f('avatar') ? <p id="profile-avatar-error" class="field-error">{f('avatar')}</p> : null}
        </div>
        {error ? <p class="form-error" role="alert">{error}</p> : null}
        {saved ? <p class="notice ok" role="status">Saved.</p> : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save profile'}
        </button>
      </form>
    </>
  );
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Changing one's password: the server revokes every token, so success signs out here too. */
function PasswordForm() {
  const { api, sessionEnded } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await api.changePassword(current, next);
      sessionEnded();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(actionError(err, 'Could not change the password.'));
      setBusy(false);
    }
  };
  const f = (name: string) => fields[name]?.join(' ');
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>Password</h2>
      <p class="muted">Changing your password signs you out everywhere, on every device.</p>
      <TextField id="current-password" label="Current password" type="password" value={current} onInput={setCurrent} error={f('current_password')} />
      <TextField id="new-password" label="New password" type="password" value={next} onInput={setNext} error={f('new_password')} />
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      <button type="submit" disabled={busy || current === '' || next === ''}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

/** Settings: email notifications and the digest, and the password. */
export function Settings() {
  const { api, sessionEnded } = useApp();
  const [prefs, setPrefs] = useState<EmailPreferences | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api
      .emailPreferences()
      .then(setPrefs)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(actionError(e, 'Could not load your email preferences.'));
      });
  }, [api, sessionEnded]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!prefs) return;
    setBusy(true);
    setError(null);
    setFields({});
    setSaved(false);
    try {
      setPrefs(await api.updateEmailPreferences({ notifications: prefs.notifications, digest: prefs.digest }));
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(actionError(err, 'Could not save.'));
    } finally {
      setBusy(false);
    }
  };
  const f = (name: string) => (fields[name] ?? fields[`digest.${name}`])?.join(' ');

  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      {error && !prefs ? <p class="notice error" role="alert">{error}</p> : null}
      {!prefs && !error ? <p class="notice" role="status">Loading…</p> : null}
      {prefs ? (
        <form class="card form" onSubmit={(e) => void save(e)} noValidate>
          <h2>Email</h2>
          <p class="muted">Emails go to {prefs.email}.</p>
          <fieldset>
            <legend>Email me about</legend>
            {Object.entries(prefs.notifications).map(([kind, on]) => (
              <label key={kind} class="check">
                <input type="checkbox" checked={on} onChange={(e) => {
                  setPrefs({ ...prefs, notifications: { ...prefs.notifications, [kind]: e.currentTarget.checked } });
                }} />{' '}
                {humanize(kind)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Weekly digest</legend>
            <label class="check">
              <input type="checkbox" checked={prefs.digest.enabled} onChange={(e) => {
                setPrefs({ ...prefs, digest: { ...prefs.digest, enabled: e.currentTarget.checked } });
              }} />{' '}
              Send me a digest
            </label>
            <div class="field inline">
              <label for="digest-day">Day</label>
              <select id="digest-day" value={prefs.digest.day} onChange={(e) => {
                setPrefs({ ...prefs, digest: { ...prefs.digest, day: e.currentTarget.value } });
              }}>
                {DAYS.map((d) => (
                  <option key={d} value={d}>
                    {humanize(d)}
                  </option>
                ))}
              </select>
            </div>
            <TextField id="digest-time" label="Time (HH:MM)" value={prefs.digest.time} onInput={(v) => {
              setPrefs({ ...prefs, digest: { ...prefs.digest, time: v } });
            }} error={f('time')} />
            <TextField id="digest-time-zone" label="Time zone" value={prefs.digest.time_zone} onInput={(v) => {
              setPrefs({ ...prefs, digest: { ...prefs.digest, time_zone: v } });
            }} error={f('time_zone')} />
          </fieldset>
          {error ? <p class="form-error" role="alert">{error}</p> : null}
          {saved ? <p class="notice ok" role="status">Saved.</p> : null}
          <button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </form>
      ) : null}
      <PasswordForm />
    </>
  );
}
