// Teams and users: lists with budgets and spend, creation, members, deletion.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { usd } from '../format.js';
import { LimitsForm } from '../limits_form.jsx';
import { Dialog, Notice, OnceKey } from '../widgets.jsx';

function budget(p) {
  return p.max_budget === null ? usd(p.spend) : `${usd(p.spend)} / ${usd(p.max_budget)}`;
}

export function Teams() {
  const [teams, setTeams] = useState(null);
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  const [dialog, setDialog] = useState(null);  // 'team' | 'user' | {member: team_id}
  const [secret, setSecret] = useState(null);
  const [member, setMember] = useState('');
  const load = () => Promise.all([get('/team/list'), get('/user/list?page_size=1000')])
    .then(([t, u]) => { setTeams(t); setUsers(u.users ?? u); }).catch(setError);
  useEffect(() => { load(); }, []);
  const act = async (fn) => { setError(null); try { await fn(); await load(); } catch (e) { setError(e); } };
  return (
    <>
      <div class="page-head">
        <h1>Teams and users</h1>
        <div class="actions">
          <button type="button" class="primary" onClick={() => setDialog('team')}>Create team</button>
          <button type="button" onClick={() => setDialog('user')}>Create user</button>
        </div>
      </div>
      <Notice error={error} />
      <h2>Teams</h2>
      <table class="data">
        <thead><tr><th scope="col">Team</th><th scope="col">Members</th><th scope="col" class="num">Spend / budget</th><th scope="col">Limits</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {teams && teams.length === 0 && <tr><td colSpan={5}>No teams.</td></tr>}
          {(teams ?? []).map((t) => (
            <tr>
              <td>{t.team_alias || t.team_id} <small class="muted">{t.team_id}</small></td>
              <td>{(t.members_with_roles ?? []).map((m) => m.user_id).join(', ') || '—'}</td>
              <td class="num">{budget(t)}</td>
              <td>{[t.rpm_limit !== null && `${t.rpm_limit} rpm`, t.tpm_limit !== null && `${t.tpm_limit} tpm`].filter(Boolean).join(', ') || '—'}</td>
              <td class="actions">
                <button type="button" onClick={() => { setMember(''); setDialog({ member: t.team_id }); }}>Add member<span class="visually-hidden"> to {t.team_id}</span></button>
                <button type="button" class="danger" onClick={() => confirm(`Delete team ${t.team_id} and its keys?`) && act(() => post('/team/delete', { team_ids: [t.team_id] }))}>Delete<span class="visually-hidden"> {t.team_id}</span></button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Users</h2>
      <table class="data">
        <thead><tr><th scope="col">User</th><th scope="col">Email</th><th scope="col">Team</th><th scope="col" class="num">Spend / budget</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {users && users.length === 0 && <tr><td colSpan={5}>No users.</td></tr>}
          {(users ?? []).map((u) => (
            <tr>
              <td>{u.user_id}</td><td>{u.user_email ?? '—'}</td><td>{u.team_id ?? '—'}</td>
              <td class="num">{budget(u)}</td>
              <td><button type="button" class="danger" onClick={() => confirm(`Delete user ${u.user_id} and their keys?`) && act(() => post('/user/delete', { user_ids: [u.user_id] }))}>Delete<span class="visually-hidden"> {u.user_id}</span></button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Dialog title="Create team" open={dialog === 'team'} onClose={() => setDialog(null)}>
        <LimitsForm idPrefix="new-team" own={[{ name: 'team_id', label: 'Team id', hint: 'empty: generated' }, { name: 'team_alias', label: 'Alias' }]}
          submitLabel="Create" onCancel={() => setDialog(null)}
          onSubmit={async (body) => { await post('/team/new', body); setDialog(null); await load(); }} />
      </Dialog>
      <Dialog title="Create user" open={dialog === 'user'} onClose={() => setDialog(null)}>
        <LimitsForm idPrefix="new-user" own={[{ name: 'user_id', label: 'User id', hint: 'empty: generated' }, { name: 'user_email', label: 'Email' }, { name: 'team_id', label: 'Team id' }]}
          submitLabel="Create" onCancel={() => setDialog(null)}
          onSubmit={async (body) => { const r = await post('/user/new', body); setDialog(null); setSecret(r.key); await load(); }} />
      </Dialog>
      <Dialog title="Add member" open={typeof dialog === 'object' && dialog !== null} onClose={() => setDialog(null)}>
        <form onSubmit={(e) => { e.preventDefault(); act(async () => { await post('/team/member_add', { team_id: dialog.member, member: { user_id: member, role: 'user' } }); setDialog(null); }); }}>
          <div class="field"><label for="member-id">User id</label>
            <input id="member-id" required value={member} onInput={(e) => setMember(e.currentTarget.value)} /></div>
          <div class="actions"><button type="button" onClick={() => setDialog(null)}>Cancel</button><button class="primary" type="submit">Add</button></div>
        </form>
      </Dialog>
      <Dialog title="The new user's key" open={secret !== null} onClose={() => setSecret(null)}>
        <OnceKey secret={secret} onDone={() => setSecret(null)} />
      </Dialog>
    </>
  );
}
