import type { ReactNode } from 'react';
import { api, type ListEnvelope } from '../api/client.js';
import type { KeyRecord } from '../api/types.js';
import { SearchPicker } from './SearchPicker.js';

const SUGGESTIONS = 20;

const searchKeys = async (text: string) => (await api.get<ListEnvelope<KeyRecord>>('/admin/keys', { q: text, sort: 'prefix', order: 'asc', limit: SUGGESTIONS })).data;

const describeKey = (key: KeyRecord) => [key.name, key.user_email, key.status === 'active' ? null : key.status].filter(Boolean).join(' · ');

const prefixOf = (key: KeyRecord) => key.prefix;

/** Picks a virtual key by its prefix (the part the gateway shows), searching `GET /admin/keys?q=`. */
export function KeyPicker({ label = 'Key prefix', hint, value, onChange }: { label?: string; hint?: ReactNode; value: KeyRecord | null; onChange: (key: KeyRecord | null) => void }) {
  return (
    <SearchPicker<KeyRecord>
      label={label}
      hint={hint}
      required
      cacheKey="keys"
      search={searchKeys}
      valueOf={prefixOf}
      describe={describeKey}
      value={value}
      onChange={onChange}
      noMatch="No key has this prefix. Pick one from the suggestions."
    />
  );
}
