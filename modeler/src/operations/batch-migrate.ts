/**
 * The migrate part of the batch dialog: the target version (another version
 * of the one process the search is narrowed to) and one element mapping for
 * every instance. Every flow node of the source version is listed, since
 * the instances may wait at any of them; an element of the same id and type
 * in the target is mapped by default, the rest left unmapped (Camunda's rule:
 * no implicit mapping). An instance with a token at an unmapped element
 * fails on its own and stays where it is; the others migrate.
 */
import type { OperationsApi } from './api.js';
import { text } from './html.js';
import { flowNodes } from './operate-instance.js';

export interface MigrationChoice {
  targetDefinitionKey: string;
  mappings: { sourceElementId: string; targetElementId: string }[];
}

/** Fills `root` with the target and mapping fields; `changed` is told whenever the choice becomes valid or not. */
export async function renderMigrationFields(root: HTMLElement, api: OperationsApi, source: { processId: string; version: number }, changed: () => void): Promise<() => MigrationChoice | undefined> {
  const versions = (await api.definitions()).items.filter((d) => d.processId === source.processId).sort((a, b) => b.version - a.version);
  const from = versions.find((d) => d.version === source.version);
  const targets = versions.filter((d) => d !== from);
  if (!from) throw new Error(`Version ${source.version} of ${source.processId} is not deployed`);
  root.innerHTML = `<label>Target version <select name="target" data-testid="batch-target" required>${
    targets.length ? targets.map((d) => `<option value="${text(d.key)}">v${d.version}</option>`).join('') : '<option value="">no other version deployed</option>'
  }</select></label>
    <fieldset class="batch-mappings"><legend>Map the elements of v${source.version} to the target's</legend>
      <p class="hint">Instances with a token at an unmapped element fail and stay on v${source.version}; their outcome names the element.</p>
      <table class="mappings" data-testid="batch-mappings"><thead><tr><th scope="col">Element of v${source.version}</th><th scope="col">Maps to</th></tr></thead><tbody></tbody></table>
    </fieldset>`;
  const target = root.querySelector<HTMLSelectElement>('[data-testid="batch-target"]')!;
  const rows = root.querySelector<HTMLElement>('[data-testid="batch-mappings"] tbody')!;
  const sourceNodes = flowNodes(await api.xml(from.key));
  const fill = async () => {
    rows.innerHTML = '';
    changed();
    if (!target.value) return;
    const targetNodes = flowNodes(await api.xml(target.value));
    rows.innerHTML = sourceNodes
      .map((node) => {
        // Only elements of the same type are offered: the engine refuses any other.
        const fits = targetNodes.filter((t) => t.type === node.type);
        const options = ['<option value="">— no mapping —</option>', ...fits.map((t) => `<option value="${text(t.id)}"${t.id === node.id ? ' selected' : ''}>${text(t.name)}${t.name === t.id ? '' : ` (${text(t.id)})`}</option>`)].join('');
        const label = `${node.name}${node.name === node.id ? '' : ` (${node.id})`}`;
        return `<tr><th scope="row">${text(label)}</th><td><select data-batch-map="${text(node.id)}" aria-label="Target of ${text(label)}">${options}</select></td></tr>`;
      })
      .join('');
    changed();
  };
  target.addEventListener('change', () => void fill());
  await fill();
  return () =>
    target.value
      ? {
          targetDefinitionKey: target.value,
          mappings: [...rows.querySelectorAll<HTMLSelectElement>('select[data-batch-map]')].filter((s) => s.value).map((s) => ({ sourceElementId: s.getAttribute('data-batch-map')!, targetElementId: s.value })),
        }
      : undefined;
}
