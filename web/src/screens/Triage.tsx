import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { QueueFilter, TicketChange } from '../api/client';
import { ApiError } from '../api/errors';
import { StreamConnection, streamingUrl } from '../api/stream';
import type { Status, Ticket } from '../api/types';
import { actionError, displayName } from '../components/StatusItem';
import { useApp } from '../context';
import { age, hoursLabel, humanize } from '../format';
import { href } from '../router';
import { ACTIVE_STATES, CATEGORIES, PRIORITIES, STATES, matchesFilter, moveCursor, shortcutFor, upsertTicket } from '../triage';

function Select({ id, label, value, options, onChange, blank }: { id: string; label: string; value: string; options: string[]; onChange: (v: string) => void; blank?: string }) {
  return (
    <div class="field inline">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => {
        onChange(e.currentTarget.value);
      }}>
        {blank !== undefined ? <option value="">{blank}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {humanize(o)}
          </option>
        ))}
      </select>
    </div>
  );
}

function plainText(status: Status | undefined): string {
  if (!status) return '';
  return status.text ?? new DOMParser().parseFromString(status.content, 'text/html').body.textContent;
}

function HelpOverlay({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
  }, []);
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onKeyDown={(e) => {
      if (e.key === 'Escape') onClose();
    }}>
      <div class="card">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <dl class="shortcuts">
          <dt>j / ↓</dt>
          <dd>Next ticket</dd>
          <dt>k / ↑</dt>
          <dd>Previous ticket</dd>
          <dt>a</dt>
          <dd>Assign to me</dd>
          <dt>r</dt>
          <dd>Resolve</dd>
          <dt>x</dt>
          <dd>Select for a bulk action</dd>
          <dt>o / Enter</dt>
          <dd>Open the conversation</dd>
          <dt>?</dt>
          <dd>This help</dd>
        </dl>
        <button ref={close} type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function TicketRow({
  ticket,
  status,
  active,
  selected,
  onSelect,
  onChange,
  onFocus,
}: {
  ticket: Ticket;
  status: Status | undefined;
  active: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onChange: (t: Ticket) => void;
  onFocus: () => void;
}) {
  const { api, me } = useApp();
  const [minutes, setMinutes] = useState('');
  const [duplicate, setDuplicate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<Ticket>) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await fn());
      return true;
    } catch (e) {
      setError(e instanceof ApiError && Object.keys(e.fields).length > 0 ? Object.entries(e.fields).map(([k, v]) => `${humanize(k)}: ${v.join(' ')}`).join(' ') : actionError(e, 'That did not work.'));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const change = (c: TicketChange) => void run(() => api.updateTicket(ticket.id, c));
  const waited = ticket.business_hours_waiting;
  const base = `ticket-${ticket.id}`;
  return (
    <li class={`card ticket${active ? ' active' : ''}`} data-ticket-id={ticket.id} aria-current={active ? 'true' : undefined} onFocusCapture={onFocus}>
      <div class="ticket-head">
        <input type="checkbox" aria-label={`Select ticket ${ticket.id}`} checked={selected} onChange={(e) => {
          onSelect(e.currentTarget.checked);
        }} />
        <a href={href({ name: 'status', id: ticket.status_id })} class="ticket-title">
          {plainText(status).slice(0, 160) || `Ticket ${ticket.id}`}
        </a>
      </div>
      <p class="tags-row">
        <span class={`badge state-${ticket.state}`}>{humanize(ticket.state)}</span>
        <span class={`badge priority-${ticket.priority}`}>{humanize(ticket.priority)}</span>
        <span class="badge">{humanize(ticket.category)}</span>
        <span class="muted">
          {status ? `by ${displayName(status.account)} · ` : ''}
          {age(ticket.created_at)} old
          {ticket.first_response_at ? ' · answered' : ` · unanswered for ${hoursLabel(waited)} business`}
          {ticket.assignee_id ? (ticket.assignee_id === me.id ? ' · assigned to you' : ' · assigned') : ' · unassigned'}
          {ticket.duplicate_of_id ? ` · duplicate of ${ticket.duplicate_of_id}` : ''}
        </span>
      </p>
      <div class="ticket-controls">
        <Select id={`${base}-category`} label="Category" value={ticket.category} options={CATEGORIES} onChange={(v) => {
          change({ category: v });
        }} />
        <Select id={`${base}-priority`} label="Priority" value={ticket.priority} options={PRIORITIES} onChange={(v) => {
          change({ priority: v });
        }} />
        <Select id={`${base}-state`} label="State" value={ticket.state} options={STATES} onChange={(v) => {
          change({ state: v });
        }} />
        <button type="button" class="small secondary" disabled={busy || ticket.assignee_id === me.id} onClick={() => {
          change({ assignee_id: me.id });
        }}>
          Assign to me
        </button>
        <form class="inline-form" onSubmit={(e) => {
          e.preventDefault();
          const n = Number(minutes);
          void run(() => api.logMinutes(ticket.id, n)).then((ok) => {
            if (ok) setMinutes('');
          });
        }}>
          <label for={`${base}-minutes`}>Minutes</label>
          <input id={`${base}-minutes`} type="number" min={1} max={1440} inputMode="numeric" value={minutes} onInput={(e) => {
            setMinutes(e.currentTarget.value);
          }} />
          <button type="submit" class="small secondary" disabled={busy || minutes === ''}>
            Log
          </button>
        </form>
        <form class="inline-form" onSubmit={(e) => {
          e.preventDefault();
          void run(() => api.markDuplicate(ticket.id, duplicate.trim())).then((ok) => {
            if (ok) setDuplicate('');
          });
        }}>
          <label for={`${base}-duplicate`}>Duplicate of</label>
          <input id={`${base}-duplicate`} type="text" inputMode="numeric" placeholder="ticket id" value={duplicate} onInput={(e) => {
            setDuplicate(e.currentTarget.value);
          }} />
          <button type="submit" class="small secondary" disabled={busy || duplicate.trim() === ''}>
            Link
          </button>
        </form>
      </div>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
    </li>
  );
}

/** The support triage queue: filters, sorting, triage actions, bulk actions, shortcuts, live arrivals. */
export function Triage() {
  const { api, me, instance, sessionEnded } = useApp();
  const [filter, setFilter] = useState<QueueFilter>({ state: ACTIVE_STATES, sort: 'age' });
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [statuses, setStatuses] = useState<Map<string, Status>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [help, setHelp] = useState(false);
  const [arrived, setArrived] = useState(0);
  const [bulkError, setBulkError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const list = useRef<HTMLOListElement>(null);

  const serverFilter = useCallback((f: QueueFilter): QueueFilter => ({ ...f, assignee_id: f.assignee_id === 'me' ? me.id : f.assignee_id }), [me.id]);

  const requested = useRef(new Set<string>());
  const fetchStatuses = useCallback(
    (items: Ticket[]) => {
      for (const t of items) {
        if (requested.current.has(t.status_id)) continue;
        requested.current.add(t.status_id);
        api
          .status(t.status_id)
          .then((s) => {
            setStatuses((m) => new Map(m).set(t.status_id, s));
          })
          .catch(() => {
            // The row shows the ticket number instead of the text.
          });
      }
    },
    [api],
  );

  const load = useCallback(async () => {
    try {
      const items = await api.tickets(serverFilter(filter));
      setTickets(items);
      setError(null);
      setArrived(0);
      fetchStatuses(items);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(actionError(e, 'Could not load the queue.'));
      setTickets((current) => current ?? []);
    }
  }, [api, filter, serverFilter, fetchStatuses, sessionEnded]);
  useEffect(() => {
    void load();
  }, [load]);

  // New and changed tickets arrive on the help-desk stream.
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const token = api.accessToken;
  const streamBase = instance?.configuration?.urls?.streaming;
  useEffect(() => {
    if (!token) return;
    const connection = new StreamConnection({
      url: streamingUrl(streamBase, 'helpdesk', location.href),
      token,
      onEvent: (event) => {
        if (event.kind !== 'ticket') return;
        const ticket = event.ticket;
        const keep = matchesFilter(ticket, filterRef.current, me.id);
        setTickets((current) => {
          if (!current) return current;
          if (keep && !current.some((t) => t.id === ticket.id)) setArrived((n) => n + 1);
          return upsertTicket(current, ticket, keep);
        });
        if (keep) fetchStatuses([ticket]);
      },
      onState: (state) => {
        setLive(state === 'live');
      },
      onReconnected: () => {
        void load();
      },
    });
    connection.start();
    return () => {
      connection.stop();
    };
  }, [token, streamBase, me.id, fetchStatuses, load]);

  // Until the help-desk stream is up (or where the server has none), look for new tickets every 20 s.
  useEffect(() => {
    if (live) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, 20_000);
    return () => {
      clearInterval(id);
    };
  }, [live, load]);

  const replace = (ticket: Ticket) => {
    setTickets((current) => (current ? upsertTicket(current, ticket, true) : current));
  };

  const activeTicket = tickets?.[cursor];
  const quick = async (change: TicketChange) => {
    if (!activeTicket) return;
    try {
      replace(await api.updateTicket(activeTicket.id, change));
    } catch (e) {
      setBulkError(actionError(e, 'That did not work.'));
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const inControl = ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const action = shortcutFor(e.key, inControl);
    if (!action) return;
    if (action === 'close') {
      setHelp(false);
      return;
    }
    if (target.tagName === 'A' && action === 'open') return;
    if (target.tagName === 'BUTTON' && action === 'open') return;
    e.preventDefault();
    const count = tickets?.length ?? 0;
    if (action === 'next' || action === 'previous') {
      const next = moveCursor(cursor, count, action);
      setCursor(next);
      list.current?.querySelectorAll<HTMLElement>('.ticket-title')[next]?.focus();
    } else if (action === 'assign') void quick({ assignee_id: me.id });
    else if (action === 'resolve') void quick({ state: 'resolved' });
    else if (action === 'help') setHelp(true);
    else if (action === 'open' && activeTicket) location.hash = href({ name: 'status', id: activeTicket.status_id });
    else if (action === 'select' && activeTicket) {
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(activeTicket.id)) next.delete(activeTicket.id);
        else next.add(activeTicket.id);
        return next;
      });
    }
  };

  const bulk = async (change: TicketChange) => {
    setBulkError(null);
    try {
      const updated = await api.bulkUpdateTickets([...selected], change);
      for (const t of updated) replace(t);
      setSelected(new Set());
    } catch (e) {
      setBulkError(e instanceof ApiError && e.fieldError('ids') ? `Tickets: ${e.fieldError('ids') ?? ''}` : actionError(e, 'The bulk change failed; nothing was changed.'));
    }
  };

  const set = (patch: Partial<QueueFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setCursor(0);
  };

  return (
    <div class="triage" onKeyDown={onKeyDown}>
      <div class="title-row">
        <h1 tabIndex={-1}>Triage queue</h1>
        <button type="button" class="secondary small" onClick={() => {
          setHelp(true);
        }}>
          Shortcuts <kbd>?</kbd>
        </button>
      </div>
      <form class="filters card" aria-label="Filters" onSubmit={(e) => {
        e.preventDefault();
      }}>
        <div class="field inline">
          <label for="filter-state">State</label>
          <select id="filter-state" value={filter.state ?? ''} onChange={(e) => {
            set({ state: e.currentTarget.value });
          }}>
            <option value={ACTIVE_STATES}>Needs work</option>
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <Select id="filter-category" label="Category" value={filter.category ?? ''} options={CATEGORIES} blank="Any" onChange={(v) => {
          set({ category: v || undefined });
        }} />
        <Select id="filter-priority" label="Priority" value={filter.priority ?? ''} options={PRIORITIES} blank="Any" onChange={(v) => {
          set({ priority: v || undefined });
        }} />
        <div class="field inline">
          <label for="filter-assignee">Assignee</label>
          <select id="filter-assignee" value={filter.assignee_id ?? ''} onChange={(e) => {
            set({ assignee_id: e.currentTarget.value || undefined });
          }}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Nobody</option>
          </select>
        </div>
        <div class="field inline">
          <label for="filter-unanswered">Unanswered for more than (business hours)</label>
          <input id="filter-unanswered" type="number" min={0} step="0.5" value={filter.unanswered_for ?? ''} onChange={(e) => {
            set({ unanswered_for: e.currentTarget.value || undefined });
          }} />
        </div>
        <label class="check">
          <input type="checkbox" checked={filter.awaiting_confirmation === true} onChange={(e) => {
            set({ awaiting_confirmation: e.currentTarget.checked || undefined });
          }} />{' '}
          Peer answered, awaiting confirmation
        </label>
        <div class="field inline">
          <label for="filter-sort">Sort</label>
          <select id="filter-sort" value={filter.sort ?? 'age'} onChange={(e) => {
            set({ sort: e.currentTarget.value === 'sla_risk' ? 'sla_risk' : 'age' });
          }}>
            <option value="age">Oldest first</option>
            <option value="sla_risk">SLA risk</option>
          </select>
        </div>
      </form>
      {selected.size > 0 ? (
        <div class="bulk card" role="group" aria-label="Bulk actions">
          <span>{selected.size} selected</span>
          <button type="button" class="small" onClick={() => void bulk({ assignee_id: me.id })}>
            Assign to me
          </button>
          <button type="button" class="small" onClick={() => void bulk({ state: 'resolved' })}>
            Resolve
          </button>
          <button type="button" class="small secondary" onClick={() => void bulk({ priority: 'high' })}>
            Priority high
          </button>
          <button type="button" class="small secondary" onClick={() => {
            setSelected(new Set());
          }}>
            Clear
          </button>
        </div>
      ) : null}
      {bulkError ? <p class="field-error" role="alert">{bulkError}</p> : null}
      <p class="muted" role="status" aria-live="polite">
        {tickets ? `${tickets.length} ${tickets.length === 1 ? 'ticket' : 'tickets'}` : ''}
        {arrived > 0 ? ` · ${arrived} arrived live` : ''}
        {live ? ' · live' : ' · checking every 20 s'}
      </p>
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      {tickets === null ? <p class="notice" role="status">Loading…</p> : null}
      {tickets?.length === 0 && !error ? <p class="notice">No tickets match. New help-desk posts appear here as they are written.</p> : null}
      <ol ref={list} class="tickets" aria-label="Tickets">
        {(tickets ?? []).map((t, i) => (
          <TicketRow
            key={t.id}
            ticket={t}
            status={statuses.get(t.status_id)}
            active={i === cursor}
            selected={selected.has(t.id)}
            onFocus={() => {
              setCursor(i);
            }}
            onSelect={(on) => {
              setSelected((s) => {
                const next = new Set(s);
                if (on) next.add(t.id);
                else next.delete(t.id);
                return next;
              });
            }}
            onChange={replace}
          />
        ))}
      </ol>
      {help ? <HelpOverlay onClose={() => {
        setHelp(false);
      }} /> : null}
    </div>
  );
}
