/** "Open…": the deployed processes, each with its versions, newest first. */
import type { ApiClient, ProcessDefinition } from './api-client';

export async function chooseDefinition(dialog: HTMLDialogElement, api: ApiClient): Promise<ProcessDefinition | null> {
  const list = dialog.querySelector<HTMLUListElement>('.definitions')!;
  const definitions = await api.listDefinitions();
  const byProcess = new Map<string, ProcessDefinition[]>();
  for (const d of definitions) byProcess.set(d.processId, [...(byProcess.get(d.processId) ?? []), d]);

  return new Promise((resolve) => {
    let chosen: ProcessDefinition | null = null;
    const items = [...byProcess.entries()].map(([processId, versions]) => {
      versions.sort((a, b) => b.version - a.version);
      const li = document.createElement('li');
      const title = document.createElement('strong');
      title.textContent = versions[0].name ? `${versions[0].name} (${processId})` : processId;
      li.append(title);
      for (const v of versions) {
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.key = v.key;
        button.dataset.processId = processId;
        button.dataset.version = String(v.version);
        button.textContent = `v${v.version}`;
        button.title = `Deployed ${new Date(v.createdAt).toLocaleString()} from ${v.resourceName}`;
        button.addEventListener('click', () => {
          chosen = v;
          dialog.close();
        });
        li.append(button);
      }
      return li;
    });
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.textContent = 'Nothing deployed yet.';
      items.push(empty);
    }
    list.replaceChildren(...items);
    dialog.addEventListener('close', () => resolve(chosen), { once: true });
    dialog.showModal();
  });
}
