import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type FieldErrors } from '../api/errors';
import type { Community, CommunityMember, PageCursor, Status } from '../api/types';
import { Composer } from '../components/Composer';
import { actionError, Avatar, displayName } from '../components/StatusItem';
import { Timeline } from '../components/Timeline';
import { useApp } from '../context';
import { href } from '../router';

/** What the join button says for a membership. */
export function membershipAction(community: Community): { label: string; join: boolean } {
  const state = community.membership?.state;
  if (state === 'active') return { label: 'Leave', join: false };
  if (state === 'pending') return { label: 'Cancel request', join: false };
  return { label: community.private ? 'Ask to join' : 'Join', join: true };
}

function JoinButton({ community, onChange }: { community: Community; onChange: (c: Community) => void }) {
  const { api, sessionEnded } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const action = membershipAction(community);
  const click = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await api.joinCommunity(community.id, action.join));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionEnded();
      setError(actionError(e, 'That did not work.'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="join">
      <button type="button" class={action.join ? '' : 'secondary'} disabled={busy} onClick={() => void click()}>
        {action.label}
        <span class="visually-hidden"> {community.name}</span>
      </button>
      {community.membership?.state === 'pending' ? <span class="badge">Request sent</span> : null}
      {error ? (
        <span class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

function CreateCommunity({ onCreated }: { onCreated: (c: Community) => void }) {
  const { api, sessionEnded } = useApp();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setError(null);
    try {
      const created = await api.createCommunity({ name: name.trim(), description: description.trim(), private: isPrivate });
      setName('');
      setDescription('');
      onCreated(created);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) sessionEnded();
      if (err instanceof ApiError && (err.fieldError('name') || err.fieldError('description'))) setFields(err.fields);
      else setError(actionError(err, 'Could not create the community.'));
    } finally {
      setBusy(false);
    }
  };
  const nameError = fields.name?.join(' ');
  const descriptionError = fields.description?.join(' ');
  return (
    <form class="card form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-community-title">
      <h2 id="create-community-title">Create a community</h2>
      <div class="field">
        <label for="community-name">Name</label>
        <input id="community-name" value={name} required aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? 'community-name-error' : undefined} onInput={(e) => {
          setName(e.currentTarget.value);
        }} />
        {nameError ? <p id="community-name-error" class="field-error">{nameError}</p> : null}
      </div>
      <div class="field">
        <label for="community-description">Description</label>
        <textarea id="community-description" rows={2} value={description} aria-invalid={descriptionError ? true : undefined} aria-describedby={descriptionError ? 'community-description-error' : undefined} onInput={(e) => {
          setDescription(e.currentTarget.value);
        }} />
        {descriptionError ? <p id="community-description-error" class="field-error">{descriptionError}</p> : null}
      </div>
      <label class="check">
        <input type="checkbox" checked={isPrivate} onChange={(e) => {
          setPrivate(e.currentTarget.checked);
        }} />{' '}
        Private: only members see its posts, and people ask to join
      </label>
      {error ? <p class="form-error" role="alert">{error}</p> : null}
      <button type="submit" disabled={busy || name.trim() === ''}>
        {busy ? 'Creating…' : 'Create community'}
      </button>
    </form>
  );
}

/** Every public community and mine, with join/leave, and the create form. */
export function CommunitiesList() {
  const { api, sessionEnded } = useApp();
  const [items, setItems] = useState<Community[] | null>(null);
  const [next, setNext] = useState<PageCursor | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(
    async (cursor: PageCursor | null) => {
      try {
        const page = await api.communities(cursor);
        setItems((current) => (cursor && current ? [...current, ...page.items.filter((c) => !current.some((x) => x.id === c.id))] : page.items));
        setNext(page.next);
        setError(null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(actionError(e, 'Could not load communities.'));
      }
    },
    [api, sessionEnded],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const replace = (c: Community) => {
    setItems((current) => (current ? current.map((x) => (x.id === c.id ? c : x)) : [c]));
  };

  return (
    <>
      <div class="title-row">
        <h1 tabIndex={-1}>Communities</h1>
        <button type="button" class="secondary" aria-expanded={creating} onClick={() => {
          setCreating((v) => !v);
        }}>
          {creating ? 'Close' : 'New community'}
        </button>
      </div>
      {creating ? (
        <CreateCommunity
          onCreated={(c) => {
            setCreating(false);
            location.hash = href({ name: 'community', id: c.id });
          }}
        />
      ) : null}
      {error ? <p class="notice error" role="alert">{error}</p> : null}
      {items === null && !error ? <p class="notice" role="status">Loading…</p> : null}
      {items?.length === 0 ? <p class="notice">No communities yet. Create the first one.</p> : null}
      <ul class="cards" aria-label="Communities">
        {(items ?? []).map((c) => (
          <li key={c.id} class="card community-card">
            <div>
              <h2>
                <a href={href({ name: 'community', id: c.id })}>{c.name}</a>
              </h2>
              <p class="tags-row">
                {c.private ? <span class="badge">Private</span> : <span class="badge">Public</span>}
                {c.helpdesk ? <span class="badge">Help desk</span> : null}
                {c.membership?.state === 'active' ? <span class="badge ok">{c.membership.role === 'admin' ? 'You run it' : 'Member'}</span> : null}
              </p>
              {c.description ? <p class="muted">{c.description}</p> : null}
            </div>
            <JoinButton community={c} onChange={replace} />
          </li>
        ))}
      </ul>
      {next ? (
        <button type="button" class="load-more" onClick={() => void load(next)}>
          More communities
        </button>
      ) : null}
    </>
  );
}

function Members({ community }: { community: Community }) {
  const { api } = useApp();
  const [members, setMembers] = useState<CommunityMember[] | null>(null);
  const [requests, setRequests] = useState<CommunityMember[]>([]);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = community.membership?.role === 'admin' && community.membership.state === 'active';
  const reload = useCallback(() => {
    api
      .communityMembers(community.id)
      .then(setMembers)
      .catch((e: unknown) => {
        setError(actionError(e, 'Could not load the members.'));
      });
    if (isAdmin) {
      api
        .communityRequests(community.id)
        .then(setRequests)
        .catch(() => {
          setRequests([]);
        });
    }
  }, [api, community.id, isAdmin]);
  useEffect(reload, [reload]);

  const answer = async (accountId: string, authorize: boolean) => {
    try {
      await api.answerRequest(community.id, accountId, authorize);
      reload();
    } catch (e) {
      setError(actionError(e, 'That did not work.'));
    }
  };

  return (
    <section aria-labelledby="members-title" class="card">
      <h2 id="members-title">Members</h2>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      {isAdmin && requests.length > 0 ? (
        <>
          <h3>Asking to join</h3>
          <ul class="people">
            {requests.map((r) => (
              <li key={r.account.id}>
                <a href={href({ name: 'account', id: r.account.id })}>{displayName(r.account)}</a>
                <button type="button" class="small" onClick={() => void answer(r.account.id, true)}>
                  Approve<span class="visually-hidden"> {displayName(r.account)}</span>
                </button>
                <button type="button" class="small secondary" onClick={() => void answer(r.account.id, false)}>
                  Decline<span class="visually-hidden"> {displayName(r.account)}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {members === null && !error ? <p class="notice">Loading…</p> : null}
      <ul class="people">
        {(members ?? []).map((m) => (
          <li key={m.account.id}>
            <Avatar account={m.account} />
            <a href={href({ name: 'account', id: m.account.id })}>{displayName(m.account)}</a>
            {m.role === 'admin' ? <span class="badge">Admin</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A community: description, membership, members, its composer and its feed (live). */
export function CommunityPage({ id }: { id: string }) {
  const { api, sessionEnded } = useApp();
  const [community, setCommunity] = useState<Community | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<'posts' | 'members'>('posts');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    api
      .community(id)
      .then(setCommunity)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) sessionEnded();
        setError(actionError(e, 'Could not load the community.'));
      });
  }, [api, id, sessionEnded]);
  const load = useCallback((cursor: PageCursor | null) => api.communityTimeline(id, cursor), [api, id]);
  const accepts = useCallback((status: Status) => status.hubbub?.community_id === id, [id]);

  if (error) return <p class="notice error" role="alert">{error === 'Not found.' ? 'This community does not exist, or it is private.' : error}</p>;
  if (!community) return <p class="notice" role="status">Loading…</p>;
  const member = community.membership?.state === 'active';
  const canRead = member || !community.private;
  return (
    <>
      <div class="title-row">
        <h1 tabIndex={-1}>{community.name}</h1>
        <JoinButton community={community} onChange={setCommunity} />
      </div>
      <p class="tags-row">
        {community.private ? <span class="badge">Private</span> : <span class="badge">Public</span>}
        {community.helpdesk ? <span class="badge">Help desk: posts here become tickets</span> : null}
      </p>
      {community.description ? <div class="intro" dangerouslySetInnerHTML={{ __html: community.description_html }} /> : null}
      <div role="tablist" class="tabs" aria-label="Community sections">
        {(['posts', 'members'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => {
            setTab(t);
          }}>
            {t === 'posts' ? 'Posts' : 'Members'}
          </button>
        ))}
      </div>
      {tab === 'members' ? (
        <Members community={community} />
      ) : canRead ? (
        <>
          {member || !community.private ? <Composer
              scope={`community-${id}`}
              label={`Post in ${community.name}`}
              communityId={id}
              onPosted={(status) => {
                // A server without the `hubbub` extension does not say where a post went: reload the feed.
                if (!status.hubbub) setGeneration((g) => g + 1);
              }}
            /> : null}
          <Timeline
            key={generation}
            label={`Posts in ${community.name}`}
            load={load}
            accepts={accepts}
            stream={{ stream: 'community', params: { community: id } }}
            empty="No posts in this community yet."
          />
        </>
      ) : (
        <p class="notice">This community is private. Ask to join to see its posts.</p>
      )}
    </>
  );
}
