// Teams and users, managed as keys are: lists with spend against budget, create, edit in place,
// block/unblock, delete (with their keys, as LiteLLM does), and a team's members.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { LimitsForm } from '../limits_form.jsx';
import { BudgetCell, Dialog, Notice, OnceKey, StatusBadge, limitsText } from '../widgets.jsx';

// What differs between the two kinds; the rest of the page is shared.
const KINDS = {
  team: {
    id: 'team_id', label: (t) => t.team_alias || t.team_id, update: '/team/update', remove: '/team/delete', removeField: 'team_ids',
    own: [{ name: 'team_alias', label: 'Alias' }],
  },
  user: {
    id: 'user_id', label: (u) => u.user_id, update: '/user/update', remove: '/user/delete', removeField: 'user_ids',
    own: [{ name: 'user_email', label: 'Email' }, { name: 'team_id', label: 'Team id' }],
  },
};

// Edit, block/unblock and delete for one team or user row.
function RowActions({ kind, p, act, onEdit, children }) {
  const k = KINDS[kind];
  const id = p[k.id];
  const hidden = <span class="visually-hidden"> {id}</span>;
  return (
    <td class="actions">
      <button type="button" onClick={onEdit}>Edit{hidden}</button>
      {children}
      <button type="button" onClick={() => act(() => post(k.update, { [k.id]: id, blocked: !p.blocked }))}>
        {p.blocked ? 'Unblock' : 'Block'}{hidden}
      </button>
      <button type="button" class="danger"
        onClick={() => confirm(`Delete ${kind} ${id} and ${kind === 'team' ? 'its' : 'their'} keys?`) && act(() => post(k.remove, { [k.removeField]: [id] }))}>
        Delete{hidden}
      </button>
    </td>
  );
}

function Members({ team, act }) {
  const [member, setMember] = useState('');
  const members = team.members_with_roles ?? [];
  return (
    <>
      <table class="data">
        <caption class="visually-hidden">Members of {team.team_id}</caption>
        <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {members.length === 0 && <tr><td colSpan={3}>No members.</td></tr>}
          {members.map((m) => (
            <tr data-member={m.user_id}>
              <td>{m.user_id}</td><td>{m.role}</td>
              <td><button type="button" class="danger" onClick={() => act(() => post('/team/member_delete', { team_id: team.team_id, user_id: m.user_id }))}>
                Remove<span class="visually-hidden"> {m.user_id}</span></button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={(e) => { e.preventDefault(); act(async () => { await post('/team/member_add', { team_id: team.team_id, member: { user_id: member.trim(), role: 'user' } }); setMember(''); }); }}>
        <div class="field"><label for="member-id">User id</label>
          <input id="member-id" required value={member} onInput={(e) => setMember(e.currentTarget.value)} />
          <small>a user that does not exist yet is created; a user belongs to one team, adding moves it</small></div>
        <div class="actions"><button class="primary" type="submit">Add member</button></div>
      </form>
    </>
  );
}

export function Teams() {
  const [teams, setTeams] = useState(null);
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  // {create: kind} | {edit: kind, p} | {members: team_id}
  const [dialog, setDialog] = useState(null);
  const [secret, setSecret] = useState(null);
  const close = () => setDialog(null);
  const load = () => Promise.all([get('/team/list'), get('/user/list?page_size=1000')])
    .then(([t, u]) => { setTeams(t); setUsers(u.users ?? u); }).catch(setError);
  useEffect(() => { load(); }, []);
  const act = async (fn) => { setError(null); try { await fn(); await load(); } catch (e) { setError(e); } };
  const membersOf = dialog?.members && (teams ?? []).find((t) => t.team_id === dialog.members);
  const edited = dialog?.edit && KINDS[dialog.edit];
  return (
    <>
      <div class="page-head">
        <h1>Teams and users</h1>
        <div class="actions">
          <button type="button" class="primary" onClick={() => setDialog({ create: 'team' })}>Create team</button>
          <button type="button" onClick={() => setDialog({ create: 'user' })}>Create user</button>
        </div>
      </div>
      <Notice error={error} />
      <h2>Teams</h2>
      <table class="data">
        <thead><tr><th scope="col">Team</th><th scope="col">Members</th><th scope="col" class="num">Spend / budget</th><th scope="col">Limits</th><th scope="col">Models</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {teams && teams.length === 0 && <tr><td colSpan={7}>No teams.</td></tr>}
          {(teams ?? []).map((t) => (
            <tr data-team={t.team_id}>
              <td>{t.team_alias || t.team_id} <small class="muted">{t.team_id}</small></td>
              <td>{(t.members_with_roles ?? []).map((m) => m.user_id).join(', ') || '—'}</td>
              <td class="num"><BudgetCell p={t} />{t.budget_duration && <small class="muted"> every {t.budget_duration}</small>}</td>
              <td>{limitsText(t)}</td>
              <td>{t.models.length ? t.models.join(', ') : 'all'}</td>
              <td><StatusBadge blocked={t.blocked} /></td>
              <RowActions kind="team" p={t} act={act} onEdit={() => setDialog({ edit: 'team', p: t })}>
                <button type="button" onClick={() => setDialog({ members: t.team_id })}>Members<span class="visually-hidden"> of {t.team_id}</span></button>
              </RowActions>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Users</h2>
      <table class="data">
        <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Team</th><th scope="col" class="num">Spend / budget</th><th scope="col">Limits</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {users && users.length === 0 && <tr><td colSpan={7}>No users.</td></tr>}
          {(users ?? []).map((u) => (
            <tr data-user={u.user_id}>
              <td>{u.user_id}</td><td>{u.user_email ?? '—'}</td><td>{u.team_id ?? '—'}</td>
              <td class="num"><BudgetCell p={u} /></td>
              <td>{limitsText(u)}</td>
              <td><StatusBadge blocked={u.blocked} /></td>
              <RowActions kind="user" p={u} act={act} onEdit={() => setDialog({ edit: 'user', p: u })} />
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog title="Create team" open={dialog?.create === 'team'} onClose={close}>
        <LimitsForm idPrefix="new-team" own={[{ name: 'team_id', label: 'Team id', hint: 'empty: generated' }, ...KINDS.team.own]}
          submitLabel="Create" onCancel={close}
          onSubmit={async (body) => { await post('/team/new', body); close(); await load(); }} />
      </Dialog>
      <Dialog title="Create user" open={dialog?.create === 'user'} onClose={close}>
        <LimitsForm idPrefix="new-user" own={[{ name: 'user_id', label: 'User id', hint: 'empty: generated' }, ...KINDS.user.own]}
          submitLabel="Create" onCancel={close}
          onSubmit={async (body) => { const r = await post('/user/new', body); close(); setSecret(r.key); await load(); }} />
      </Dialog>
      <Dialog title={edited ? `Edit ${dialog.edit} ${dialog.p[edited.id]}` : ''} open={Boolean(edited)} onClose={close}>
        {edited && (
          <LimitsForm idPrefix={`edit-${dialog.edit}`} initial={dialog.p} editing submitLabel="Save" onCancel={close}
            own={[{ name: edited.id, label: dialog.edit === 'team' ? 'Team id' : 'User id', readOnly: true }, ...edited.own]}
            onSubmit={async (body) => { await post(edited.update, { [edited.id]: dialog.p[edited.id], ...body }); close(); await load(); }} />
        )}
      </Dialog>
      <Dialog title={membersOf ? `Members of ${membersOf.team_alias || membersOf.team_id}` : 'Members'} open={Boolean(dialog?.members)} onClose={close}>
        {membersOf && <Members team={membersOf} act={act} />}
        <Notice error={error} />
        <div class="actions"><button type="button" onClick={close}>Close</button></div>
      </Dialog>
      <Dialog title="The new user's key" open={secret !== null} onClose={() => setSecret(null)}>
        <OnceKey secret={secret} onDone={() => setSecret(null)} />
      </Dialog>
    </>
  );
}
