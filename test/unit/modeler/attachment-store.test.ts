/**
 * The attachments of each diagram (modeler/src/modeler/attachment-store.ts),
 * kept by process id in a Storage: a diagram gets back its own, another gets
 * none, a renamed process id takes them along, and old diagrams are forgotten.
 */
import { describe, expect, it } from 'vitest';
import { AttachmentStore } from '../../../modeler/src/modeler/attachment-store.js';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

const form = (name: string) => ({ name, content: `{"id":"${name}"}` });

describe('the attachments of each diagram', () => {
  it('gives each diagram its own, and a new one none', () => {
    // given
    const storage = memoryStorage();
    const store = new AttachmentStore(storage);
    store.set('orders', [form('approve.form')]);
    store.set('invoices', [form('check.form')]);

    // then, also as read again from the storage (a reload)
    const reloaded = new AttachmentStore(storage);
    expect(reloaded.get('orders')).toEqual([form('approve.form')]);
    expect(reloaded.get('invoices')).toEqual([form('check.form')]);
    expect(reloaded.get('Process_new')).toEqual([]);
  });

  it('moves them to the new process id when the id is edited', () => {
    const store = new AttachmentStore(memoryStorage());
    store.set('orders', [form('approve.form')]);

    store.rename('orders', 'orders-v2');

    expect(store.get('orders-v2')).toEqual([form('approve.form')]);
    expect(store.has('orders')).toBe(false);
  });

  it('forgets a diagram whose last attachment is removed, and the least recently used beyond 50', () => {
    let clock = 0;
    const store = new AttachmentStore(memoryStorage(), () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000));
    store.set('emptied', [form('a.form')]);
    store.set('emptied', []);
    for (let i = 0; i < 51; i++) store.set(`p${i}`, [form('a.form')]);

    expect(store.has('emptied')).toBe(false);
    expect(store.has('p0')).toBe(false);
    expect(store.has('p1')).toBe(true);
    expect(store.has('p50')).toBe(true);
  });

  it('treats unreadable storage as empty', () => {
    const storage = memoryStorage();
    storage.setItem('weft.modeler.attachments', 'not json');
    expect(new AttachmentStore(storage).get('orders')).toEqual([]);
  });
});
