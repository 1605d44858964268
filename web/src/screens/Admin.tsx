import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AdminAccount, AdminReport, AuditEntry } from '../api/types';
import { actionError, displayName } from '../components/StatusItem';
import { useApp } from '../context';
import { humanize } from '../format';
import { href } from '../router';

const ROLES = ['member', 'support', 'manager', 'admin'];

function Users() {
  const { api, me } = useApp();
  const [users, setUsers] = useState<AdminAccount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
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
  const shown = (users ?? []).filter((u) => !filter || u.username.includes(filter.toLowerCase()) || u.email.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
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
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  <a href={href({ name: 'account', id: u.id })}>{displayName(u.account)}</a> <span class="acct">@{u.username}</span>
                </th>
                <td>{u.email}</td>
                <td>
                  <label class="visually-hidden" for={`role-${u.id}`}>
                    Role of {u.username}
                  </label>
                  <select id={`role-${u.id}`} value={u.role.name} disabled={u.id === me.id} onChange={(e) => {
                    const role = e.currentTarget.value;
                    void act(() => api.setRole(u.id, role));
                  }}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {humanize(r)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {u.suspended ? <span class="badge warn">Suspended</span> : <span class="badge ok">Active</span>}{' '}
                  {u.id !== me.id ? (
                    <button type="button" class="small secondary" onClick={() => void act(() => api.suspend(u.id, !u.suspended))}>
                      {u.suspended ? 'Unsuspend' : 'Suspend'}
                      <span class="visually-hidden"> {u.username}</span>
                    </button>
                  ) : null}
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

/** Administration: users and roles, the moderation queue, the audit log. */
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
