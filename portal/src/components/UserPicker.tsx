import type { ReactNode } from 'react';
import { api, type ListEnvelope } from '../api/client.js';
import type { UserRecord } from '../api/types.js';
import { SearchPicker } from './SearchPicker.js';

const SUGGESTIONS = 20;

const searchUsers = async (text: string) => (await api.get<ListEnvelope<UserRecord>>('/admin/users', { q: text, sort: 'email', limit: SUGGESTIONS })).data;

const describeUser = (user: UserRecord) => [user.display_name, user.team_name, user.status === 'deactivated' ? 'deactivated' : null].filter(Boolean).join(' · ') || user.email;

const emailOf = (user: UserRecord) => user.email;

/** Picks a user by email, searching `GET /admin/users?q=` as the email is typed. */
export function UserPicker({ label = 'User email', hint, value, onChange, required = true }: { label?: string; hint?: ReactNode; value: UserRecord | null; onChange: (user: UserRecord | null) => void; required?: boolean }) {
  return (
    <SearchPicker<UserRecord>
      label={label}
      hint={hint}
      type="email"
      required={required}
      cacheKey="users"
      search={searchUsers}
      valueOf={emailOf}
      describe={describeUser}
      value={value}
      onChange={onChange}
      noMatch="No user has this email. Pick one from the suggestions."
    />
  );
}
