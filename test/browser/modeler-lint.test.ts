/**
 * The modeler's checks while drawing, run in Node against the compiler they
 * mirror: what the deploy refuses (unsupported kinds, jobs without a type,
 * FEEL that does not parse) is flagged while drawing, and diagrams the
 * compiler accepts get no Weft problem. Also type-checks the page's code.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { compile } from '../../engine/model/index.js';
import { transformers } from '../../engine/model/transformers/index.js';

// The page's lint modules are browser code (bundler resolution, untyped libraries, checked by
// modeler/src/modeler/tsconfig.json): load them without this project's type-check following them.
const PAGE_LINT = '../../modeler/src/modeler/lint/';
const { lintConfig } = (await import(/* @vite-ignore */ `${PAGE_LINT}lint-config.ts`)) as { lintConfig: unknown };
const { SUPPORTED_FLOW_NODES } = (await import(/* @vite-ignore */ `${PAGE_LINT}weft-supported.ts`)) as { SUPPORTED_FLOW_NODES: string[] };
const { Linter } = createRequire(import.meta.url)('bpmnlint') as { Linter: new (options: unknown) => { lint(definitions: unknown): Promise<Record<string, unknown[]>> } };

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE_DIRS = ['test/fixtures/model', 'test/fixtures/integration', 'test/fixtures/integration/messages', 'test/fixtures/runtime/messages', 'test/fixtures/modeler'];
const fixtures = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(ROOT + dir)
    .filter((f) => f.endsWith('.bpmn'))
    .map((f) => ({ name: `${dir}/${f}`, xml: readFileSync(`${ROOT}${dir}/${f}`, 'utf8') })),
);

const moddle = new BpmnModdle({ zeebe });

/** Weft's own lint reports for `xml`, as `rule → element ids`. */
async function weftLint(xml: string): Promise<Record<string, string[]>> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const results = await new Linter(lintConfig).lint(rootElement);
  return Object.fromEntries(
    Object.entries(results)
      .filter(([rule]) => rule.startsWith('weft/'))
      .map(([rule, reports]) => [rule.slice('weft/'.length), (reports as { id: string }[]).map((r) => r.id)]),
  );
}

describe('the modeler checks while drawing', () => {
  it('know the element kinds the compiler has a transformer for', () => {
    expect([...SUPPORTED_FLOW_NODES].sort()).toEqual(Object.keys(transformers).sort());
  });

  it.each(fixtures)('flag every element the compiler refuses as not supported: $name', async ({ name, xml }) => {
    // given what the compiler says
    const { problems } = await compile(xml, name);
    const unsupported = problems.filter((p) => /not supported by Weft/.test(p.message) && p.elementId).map((p) => p.elementId);

    // when
    const lint = await weftLint(xml);

    // then
    expect(lint['unsupported-element'] ?? []).toEqual(expect.arrayContaining(unsupported));
    if (problems.length === 0) expect(lint).toEqual({});
  });

  it.each(['integration/service-task-without-type.bpmn', 'modeler/message-jobs-without-type.bpmn'])(
    'flag a job without a type (service and send tasks, message throw and end events), as the compiler does: %s',
    async (file) => {
      const xml = readFileSync(`${ROOT}test/fixtures/${file}`, 'utf8');
      const { problems } = await compile(xml, 'x.bpmn');
      const refused = problems.filter((p) => p.field === 'zeebe:taskDefinition.type').map((p) => p.elementId);
      expect(refused.length).toBeGreaterThan(0);
      expect((await weftLint(xml))['job-type']?.sort()).toEqual(refused.sort());
    },
  );

  it('flag FEEL that does not parse in conditions and mappings, and leave valid FEEL alone', async () => {
    // given
    const xml = readFileSync(`${ROOT}test/fixtures/modeler/feel-mistakes.bpmn`, 'utf8');

    // when
    const lint = await weftLint(xml);

    // then
    expect(lint['feel-syntax']?.sort()).toEqual(['bad-condition', 'bad-input']);
    const { problems } = await compile(xml, 'feel-mistakes.bpmn');
    expect(problems.map((p) => p.elementId).sort()).toEqual(['bad-condition', 'bad-input']);
  });

  it('type-check the page code (modeler/src/modeler/tsconfig.json)', () => {
    execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '--noEmit', '-p', `${ROOT}modeler/src/modeler`], { cwd: ROOT, stdio: 'pipe' });
  });
});
