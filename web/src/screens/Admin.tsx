import { useCallback, useEffect, useState } from 'preact/hooks';
import type { NewAccount } from '../api/client';
import { ApiError, type FieldErrors } from '../api/errors';
import type { AccountWithPassword, AdminAccount, AdminReport, AuditEntry } from '../api/types';
import { actionError, displayName } from '../components/StatusItem';
import { TextField } from '../components/TextField';
import { useApp } from '../context';
import { saveBlob } from '../download';
import { humanize } from '../format';
import { href } from '../router';

const ROLES = ['member', 'support', 'manager', 'admin'];

function RoleOptions() {
  return (
    <>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {humanize(r)}
        </option>
      ))}
    </>
  );
}

/** A password the server generated, shown this once with a copy button. */
function PasswordOnce({ who, password, onDone }: { who: string; password: string; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied('Copied.');
    } catch {
      setCopied('Copying is not allowed here: select the password and copy it.');
    }
  };
  return (
    <div class="card password-once" role="status">
      <p>
        Password for <strong>@{who}</strong> (shown only now; hand it over safely):
      </p>
      <p class="password-line">
        <code id="generated-password">{password}</code>{' '}
        <button type="button" class="small" aria-describedby="generated-password" onClick={() => void copy()}>
          Copy password
        </button>{' '}
        <button type="button" class="small secondary" onClick={onDone}>
          Done
        </button>
      </p>
      {copied ? <p class="hint">{copied}</p> : null}
    </div>
  );
}

const EMPTY_ACCOUNT: NewAccount = { username: '', email: '', display_name: '', role: 'member', password: '' };

/** Creating an account: errors next to the field the server names. */
function CreateUser({ onCreated }: { onCreated: (created: AccountWithPassword) => void }) {
  const { api } = useApp();
  const [form, setForm] = useState<NewAccount>(EMPTY_ACCOUNT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const set = (name: keyof NewAccount) => (value: string) => {
    setForm({ ...form, [name]: value });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      onCreated(await api.createAccount(form));
      setForm(EMPTY_ACCOUNT);
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError(actionError(err, 'Could not create the account.'));
    } finally {
      setBusy(false);
    }
  };
  const f = (name: string) => fields[name]?.join(' ');
  return (
    <form class="card form" aria-labelledby="create-user-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="create-user-title">Create user</h3>
      <TextField id="new-username" label="Username" value={form.username} onInput={set('username')} error={f('username')} />
      <TextField id="new-email" label="Email" value={form.email} onInput={set('email')} error={f('email')} />
      <TextField id="new-display-name" label="Display name" value={form.display_name ?? ''} onInput={set('display_name')} error={f('display_name')} />
      <div class="field">
        <label for="new-role">Role</label>
        <select id="new-role" value={form.role} aria-invalid={f('role') ? true : undefined} aria-describedby={f('role') ? 'new-role-error' : undefined} onChange={(e) => {
          set('role')(e.currentTarget.value);
        }}>
          <RoleOptions />
        </select>
        {f('role') ? <p id="new-role-error" class="field-error">{f('role')}</p> : null}
      </div>
      <TextField id="new-password" label="Password" type="password" hint="Leave empty to have one generated." value={form.password ?? ''} onInput={set('password')} error={f('password')} />
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}

/** Importing an org-directory CSV: all or nothing; a bad row is named by its line. */
function ImportUsers({ onImported }: { onImported: () => void }) {
  const { api } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const summary = await api.importAccounts(file);
      setDone(`Imported: ${String(summary.created)} created, ${String(summary.updated)} updated. New people sign in after a password reset.`);
      onImported();
    } catch (err) {
      setError(err instanceof ApiError ? (err.fieldError('csv') ?? actionError(err, 'The import failed.')) : actionError(err, 'The import failed.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" aria-labelledby="import-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="import-title">Import CSV</h3>
      <div class="field">
        <label for="import-file">Org-directory CSV file</label>
        <p id="import-file-hint" class="hint">
          Columns name, email, department, title, manager_email. Nothing is imported if any row is wrong.
        </p>
        <input id="import-file" type="file" accept=".csv,text/csv" aria-invalid={error ? true : undefined} aria-describedby={error ? 'import-file-hint import-file-error' : 'import-file-hint'} onChange={(e) => {
          setFile(e.currentTarget.files?.[0] ?? null);
          setError(null);
        }} />
        {error ? <p id="import-file-error" class="field-error" role="alert">{error}</p> : null}
      </div>
      {done ? <p class="notice ok" role="status">{done}</p> : null}
      <button type="submit" disabled={busy || !file}>
        {busy ? 'Importing…' : 'Import'}
      </button>
    </form>
  );
}

function Users() {
  const { api, me } = useApp();
  const [users, setUsers] = useState<AdminAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [shownPassword, setShownPassword] = useState<{ who: string; password: string } | null>(null);
  const [confirmReset, setConfirmReset] = useState<string | null>(null);
  const [download, setDownload] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .adminAccounts()
      .then(setUsers)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load accounts.'));
        setUsers([]);
      });
  }, [api]);
  useEffect(load, [load]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(actionError(e, 'That did not work.'));
    }
  };
  const showPassword = (result: AccountWithPassword) => {
    setShownPassword(result.password ? { who: result.account.username, password: result.password } : null);
  };
  const fetchFile = async (what: string, name: string, fetch: () => Promise<Blob>) => {
    setDownload(`Preparing ${what}…`);
    try {
      saveBlob(await fetch(), name);
      setDownload(`Downloaded ${name}.`);
    } catch (e) {
      setDownload(actionError(e, 'The download failed.'));
    }
  };
  const shown = (users ?? []).filter((u) => !filter || u.username.includes(filter.toLowerCase()) || u.email.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {shownPassword ? <PasswordOnce who={shownPassword.who} password={shownPassword.password} onDone={() => {
        setShownPassword(null);
      }} /> : null}
      <div class="admin-tools">
        <CreateUser onCreated={(created) => {
          showPassword(created);
          load();
        }} />
        <ImportUsers onImported={load} />
      </div>
      <p class="status-actions">
        <button type="button" class="small secondary" onClick={() => void fetchFile('the network export', 'hubbub-export.jsonl', () => api.exportAll())}>
          Download export of everything
        </button>
      </p>
      {download ? <p class="hint" role="status">{download}</p> : null}
      <div class="field inline">
        <label for="user-filter">Filter</label>
        <input id="user-filter" type="search" value={filter} onInput={(e) => {
          setFilter(e.currentTarget.value);
        }} />
      </div>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      {users === null ? <p class="notice" role="status">Loading…</p> : null}
      <div class="table-wrap">
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <a href={href({ name: 'account', id: u.id })}>{displayName(u.account)}</a> <span class="acct">@{u.username}</span>
                  <span class="user-email">{u.email}</span>
                </th>
                <td>
                  <label class="visually-hidden" for={`role-${u.id}`}>
                    Role of {u.username}
                  </label>
                  <select id={`role-${u.id}`} value={u.role.name} disabled={u.id === me.id} onChange={(e) => {
                    const role = e.currentTarget.value;
                    void act(() => api.setRole(u.id, role));
                  }}>
                    <RoleOptions />
                  </select>
                </td>
                <td>{u.suspended ? <span class="badge warn">Disabled</span> : <span class="badge ok">Active</span>}</td>
                <td>
                  <div class="row-actions">
                    {u.id !== me.id ? (
                      <button type="button" class="small secondary" onClick={() => void act(() => api.suspend(u.id, !u.suspended))}>
                        {u.suspended ? 'Enable' : 'Disable'}
                        <span class="visually-hidden"> {u.username}</span>
                      </button>
                    ) : null}
                    {u.id === me.id ? null : confirmReset === u.id ? (
                      <>
                        <button type="button" class="small danger-button" onClick={() => void act(async () => {
                          setConfirmReset(null);
                          showPassword(await api.resetPassword(u.id));
                        })}>
                          Sign out and reset<span class="visually-hidden"> the password of {u.username}</span>
                        </button>{' '}
                        <button type="button" class="small secondary" onClick={() => {
                          setConfirmReset(null);
                        }}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button type="button" class="small secondary" onClick={() => {
                        setConfirmReset(u.id);
                      }}>
                        Reset password<span class="visually-hidden"> of {u.username}</span>
                      </button>
                    )}
                    <button type="button" class="small secondary" onClick={() => void fetchFile(`the export of @${u.username}`, `hubbub-${u.username}.json`, () => api.exportAccount(u.id))}>
                      Download export<span class="visually-hidden"> of {u.username}</span>
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ModerationQueue() {
  const { api } = useApp();
  const [resolved, setResolved] = useState(false);
  const [reports, setReports] = useState<AdminReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setReports(null);
    api
      .adminReports(resolved)
      .then(setReports)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load reports.'));
        setReports([]);
      });
  }, [api, resolved]);
  useEffect(load, [load]);
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(actionError(e, 'That did not work.'));
    }
  };
  return (
    <section aria-labelledby="moderation-title">
      <h2 id="moderation-title">Moderation queue</h2>
      <label class="check">
        <input type="checkbox" checked={resolved} onChange={(e) => {
          setResolved(e.currentTarget.checked);
        }} />{' '}
        Show resolved reports
      </label>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      {reports === null ? <p class="notice" role="status">Loading…</p> : null}
      {reports?.length === 0 ? <p class="notice">No reports{resolved ? '' : ' waiting'}.</p> : null}
      <ul class="cards">
        {(reports ?? []).map((r) => (
          <li key={r.id} class="card">
            <p>
              <strong>{r.target_account ? `@${r.target_account.username}` : 'Unknown account'}</strong> reported by {r.account ? `@${r.account.username}` : 'someone'} · {humanize(r.category)} · {new Date(r.created_at).toLocaleString()}
            </p>
            {r.comment ? <p class="quote">{r.comment}</p> : null}
            {r.statuses.map((s) => (
              <div key={s.id} class="quote content" dangerouslySetInnerHTML={{ __html: s.content }} />
            ))}
            {!r.action_taken ? (
              <div class="status-actions">
                <button type="button" class="small" onClick={() => void act(() => api.resolveReport(r.id))}>
                  Resolve, no action
                </button>
                {r.target_account ? (
                  <button type="button" class="small danger-button" onClick={() => void act(async () => {
                    if (r.target_account) await api.suspend(r.target_account.id, true, r.id);
                    await api.resolveReport(r.id);
                  })}>
                    Suspend account and resolve
                  </button>
                ) : null}
              </div>
            ) : (
              <span class="badge ok">Resolved</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AuditLog() {
  const { api } = useApp();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .auditLog()
      .then(setEntries)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load the audit log.'));
        setEntries([]);
      });
  }, [api]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      {entries === null ? <p class="notice" role="status">Loading…</p> : null}
      {entries?.length === 0 ? <p class="notice">Nothing logged yet.</p> : null}
      <ol class="audit">
        {(entries ?? []).map((e) => (
          <li key={e.id}>
            <time dateTime={e.created_at}>{new Date(e.created_at).toLocaleString()}</time> · {e.account ? `@${e.account.acct}` : 'system'} · {humanize(e.action)}
            {e.target_account_id ? ` · account ${e.target_account_id}` : ''}
            {e.report_id ? ` · report ${e.report_id}` : ''}
            {e.reason ? ` · “${e.reason}”` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Administration: users (create, roles, disable, passwords, import, export), the moderation queue, the audit log. */
export function Admin({ tab }: { tab: 'users' | 'reports' | 'audit' }) {
  const tabs = [
    { id: 'users', label: 'Users' },
    { id: 'reports', label: 'Moderation' },
    { id: 'audit', label: 'Audit log' },
  ] as const;
  return (
    <>
      <h1 tabIndex={-1}>Administration</h1>
      <nav class="subnav" aria-label="Administration">
        {tabs.map((t) => (
          <a key={t.id} href={href({ name: 'admin', tab: t.id })} aria-current={tab === t.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'users' ? <Users /> : tab === 'reports' ? <ModerationQueue /> : <AuditLog />}
    </>
  );
}
