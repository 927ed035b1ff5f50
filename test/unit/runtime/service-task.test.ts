import { describe, expect, it } from 'vitest';
import { liveElements, model } from './process-builder.js';
import { INSTANCE_ID, scenario } from './scenario.js';

const NOW = '2026-11-25T12:00:00.000Z';

/** start → charge (service task) → end */
function charge(props: Record<string, unknown> = {}) {
  return model('p')
    .add('start', 'startEvent')
    .add('charge', 'serviceTask', { jobType: { value: 'payment' }, retries: { value: '5' }, headers: { method: 'VISA' }, ...props })
    .add('end', 'endEvent')
    .chain('start', 'charge', 'end')
    .build();
}

describe('runtime: service task', () => {
  it('creates a job with its type, retries, headers and the visible variables', () => {
    // when
    const s = scenario(charge(), NOW).start({ amount: 10 });
    // then
    const instance = s.instanceOf('charge');
    expect(s.effectsOf('CREATE_JOB')).toEqual([
      {
        type: 'CREATE_JOB',
        job: { key: 'id-1', type: 'payment', elementId: 'charge', elementInstanceKey: instance.key, retries: 5, headers: { method: 'VISA' }, variables: { amount: 10 } },
      },
    ]);
    expect(s.state.jobs['id-1']).toEqual({ key: 'id-1', type: 'payment', elementInstanceKey: instance.key, elementId: 'charge', retries: 5, state: 'ACTIVATABLE' });
    expect(instance).toMatchObject({ state: 'ACTIVE', jobKey: 'id-1' });
    expect(s.trace().slice(-2)).toEqual(['ELEMENT_ACTIVATED charge', 'JOB_CREATED charge']);
    expect(s.state.status).toBe('ACTIVE');
  });

  it('evaluates a FEEL job type and FEEL retries', () => {
    // given
    const definition = charge({ jobType: { feel: '"notify-" + channel' }, retries: { feel: 'maxRetries' } });
    // when
    const s = scenario(definition).start({ channel: 'sms', maxRetries: 2 });
    // then
    expect(s.effectsOf('CREATE_JOB')[0].job).toMatchObject({ type: 'notify-sms', retries: 2 });
  });

  it('opens an incident when the FEEL job type cannot be evaluated', () => {
    // given channel is missing
    const definition = charge({ jobType: { feel: '"notify-" + channel' } });
    // when
    const s = scenario(definition).start();
    // then
    expect(s.effectsOf('CREATE_JOB')).toEqual([]);
    expect(s.incident()).toMatchObject({ type: 'EXPRESSION_FAILED', elementId: 'charge', retry: 'activate' });
    expect(s.instanceOf('charge').incidentId).toBe(s.incident().id);
  });

  it('continues when the job is completed and removes the job', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    // when
    s.completeJob('charge', { receipt: 'r-1' });
    // then
    expect(s.effectTypes()).toEqual(['FINISH_JOB', 'INSTANCE_ENDED']);
    expect(s.effectsOf('FINISH_JOB')).toEqual([{ type: 'FINISH_JOB', jobKey, state: 'COMPLETED' }]);
    expect(s.trace()).toEqual([
      'JOB_COMPLETED charge',
      'VARIABLES_SET',
      'ELEMENT_COMPLETED charge',
      'FLOW_TAKEN f2_charge_end',
      'ELEMENT_ACTIVATED end',
      'ELEMENT_COMPLETED end',
      'ELEMENT_COMPLETED p',
      'INSTANCE_COMPLETED',
    ]);
    expect(s.state.jobs).toEqual({});
    expect(s.state.status).toBe('COMPLETED');
  });

  it('propagates job variables to the root scope, updating existing ones', () => {
    // given
    const definition = model('p')
      .add('start', 'startEvent')
      .add('charge', 'serviceTask')
      .add('ship', 'serviceTask', { jobType: { value: 'ship' } })
      .add('end', 'endEvent')
      .chain('start', 'charge', 'ship', 'end')
      .build();
    const s = scenario(definition).start({ status: 'new' });
    // when
    s.completeJob('charge', { status: 'paid', receipt: 'r-1' });
    // then
    expect(s.rootVariables()).toEqual({ status: 'paid', receipt: 'r-1' });
    expect(s.audits().find((e) => e.type === 'VARIABLES_SET')).toMatchObject({ elementInstanceKey: INSTANCE_ID, payload: { variables: { status: 'paid', receipt: 'r-1' } } });
    expect(s.effectsOf('CREATE_JOB')[0].job).toMatchObject({ type: 'ship', variables: { status: 'paid', receipt: 'r-1' } });
  });

  it('hands a failed job out again after the backoff while retries remain', () => {
    // given
    const s = scenario(charge(), NOW).start();
    const jobKey = s.jobKey('charge');
    // when
    s.run({ type: 'FAIL_JOB', jobKey, retries: 4, errorMessage: 'card service down', retryBackoffMs: 30_000 });
    // then
    expect(s.effectTypes()).toEqual(['RETRY_JOB']);
    expect(s.effectsOf('RETRY_JOB')).toEqual([{ type: 'RETRY_JOB', jobKey, retries: 4, availableAt: '2026-11-25T12:00:30.000Z' }]);
    expect(s.audits()).toEqual([
      expect.objectContaining({ type: 'JOB_FAILED', elementId: 'charge', payload: expect.objectContaining({ jobKey, retries: 4, errorMessage: 'card service down', retryBackoffMs: 30_000 }) }),
    ]);
    expect(s.state.jobs[jobKey]).toMatchObject({ retries: 4, state: 'ACTIVATABLE' });
    expect(s.state.incidents).toEqual({});

    // when the retry succeeds
    s.completeJob('charge');
    // then
    expect(s.state.status).toBe('COMPLETED');
  });

  it('retries at once when no backoff is given', () => {
    // given
    const s = scenario(charge(), NOW).start();
    // when
    s.run({ type: 'FAIL_JOB', jobKey: s.jobKey('charge'), retries: 1, errorMessage: 'flaky' });
    // then
    expect(s.effectsOf('RETRY_JOB')[0].availableAt).toBe(NOW);
  });

  it('opens a JOB_NO_RETRIES incident when a job fails with no retries left', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    // when
    s.run({ type: 'FAIL_JOB', jobKey, retries: 0, errorMessage: 'card declined' });
    // then
    expect(s.effectTypes()).toEqual(['FINISH_JOB', 'OPEN_INCIDENT']);
    expect(s.effectsOf('FINISH_JOB')).toEqual([{ type: 'FINISH_JOB', jobKey, state: 'FAILED', errorMessage: 'card declined', retries: 0 }]);
    const incident = s.incident();
    expect(incident).toEqual({
      id: incident.id,
      type: 'JOB_NO_RETRIES',
      message: expect.stringContaining('card declined'),
      elementId: 'charge',
      elementInstanceKey: s.instanceOf('charge').key,
      jobKey,
      retry: 'job',
    });
    expect(s.effectsOf('OPEN_INCIDENT')).toEqual([{ type: 'OPEN_INCIDENT', incident }]);
    expect(s.auditTypes()).toEqual(['JOB_FAILED', 'INCIDENT_OPENED']);
    expect(s.state.jobs[jobKey]).toMatchObject({ state: 'FAILED', retries: 0 });
    expect(liveElements(s.state)).toEqual(['charge']);
  });

  it('treats negative retries as none left', () => {
    // given
    const s = scenario(charge()).start();
    // when
    s.run({ type: 'FAIL_JOB', jobKey: s.jobKey('charge'), retries: -2, errorMessage: 'boom' });
    // then
    expect(s.incident().type).toBe('JOB_NO_RETRIES');
  });

  it('refuses to complete a job that holds an incident', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    s.run({ type: 'FAIL_JOB', jobKey, retries: 0, errorMessage: 'card declined' });
    // when
    const rejection = s.rejected({ type: 'COMPLETE_JOB', jobKey, variables: {} });
    // then
    expect(rejection.code).toBe('JOB_NOT_ACTIVE');
  });

  it('retries the job when its incident is resolved, and the job can then complete', () => {
    // given
    const s = scenario(charge(), NOW).start();
    const jobKey = s.jobKey('charge');
    s.run({ type: 'FAIL_JOB', jobKey, retries: 0, errorMessage: 'card declined' });
    const incidentId = s.incident().id;
    // when
    s.resolve(incidentId);
    // then
    expect(s.effectTypes()).toEqual(['RESOLVE_INCIDENT', 'RETRY_JOB']);
    expect(s.effectsOf('RETRY_JOB')).toEqual([{ type: 'RETRY_JOB', jobKey, retries: 1, availableAt: NOW }]);
    expect(s.auditTypes()).toEqual(['INCIDENT_RESOLVED', 'JOB_RETRIED']);
    expect(s.state.incidents).toEqual({});
    expect(s.instanceOf('charge').incidentId).toBeUndefined();
    expect(s.state.jobs[jobKey]).toMatchObject({ state: 'ACTIVATABLE', retries: 1 });

    // when
    s.completeJob('charge');
    // then
    expect(s.state.status).toBe('COMPLETED');
  });

  it('sets the retries of an open job without handing it out again, and audits old and new', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    // when
    s.run({ type: 'UPDATE_JOB_RETRIES', jobKey, retries: 8 });
    // then
    expect(s.effectTypes()).toEqual(['SET_JOB_RETRIES']);
    expect(s.state.jobs[jobKey]).toMatchObject({ state: 'ACTIVATABLE', retries: 8 });
    expect(s.auditTypes()).toEqual(['JOB_RETRIES_UPDATED']);
  });

  it('keeps the incident of a job out of retries open when its retries are set; resolving it keeps them', () => {
    // given
    const s = scenario(charge(), NOW).start();
    const jobKey = s.jobKey('charge');
    s.run({ type: 'FAIL_JOB', jobKey, retries: 0, errorMessage: 'card declined' });
    const incidentId = s.incident().id;
    // when
    s.run({ type: 'UPDATE_JOB_RETRIES', jobKey, retries: 3 });
    // then
    expect(s.state.incidents[incidentId]).toBeDefined();
    expect(s.state.jobs[jobKey]).toMatchObject({ state: 'FAILED', retries: 3 });
    // when
    s.resolve(incidentId);
    // then
    expect(s.effectsOf('RETRY_JOB')).toEqual([{ type: 'RETRY_JOB', jobKey, retries: 3, availableAt: NOW }]);
  });

  it('refuses retries below 1 and a job that is gone', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    // then
    expect(s.rejected({ type: 'UPDATE_JOB_RETRIES', jobKey, retries: 0 }).code).toBe('BAD_REQUEST');
    expect(s.rejected({ type: 'UPDATE_JOB_RETRIES', jobKey: 'nope', retries: 2 }).code).toBe('JOB_NOT_FOUND');
  });

  it('turns a thrown BPMN error nobody catches into an UNHANDLED_BPMN_ERROR incident', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    // when
    s.run({ type: 'THROW_ERROR', jobKey, errorCode: 'CARD_DECLINED', errorMessage: 'insufficient funds', variables: {} });
    // then
    expect(s.effectTypes()).toEqual(['FINISH_JOB', 'OPEN_INCIDENT']);
    expect(s.effectsOf('FINISH_JOB')[0]).toEqual({ type: 'FINISH_JOB', jobKey, state: 'ERROR_THROWN', errorMessage: 'insufficient funds' });
    expect(s.incident()).toMatchObject({ type: 'UNHANDLED_BPMN_ERROR', elementId: 'charge', jobKey, retry: 'job', message: expect.stringContaining('CARD_DECLINED') });
    expect(s.auditTypes()).toEqual(['JOB_ERROR_THROWN', 'INCIDENT_OPENED']);
    expect(s.rejected({ type: 'COMPLETE_JOB', jobKey, variables: {} }).code).toBe('JOB_NOT_ACTIVE');

    // when the incident is resolved, the job is handed out again
    s.resolve();
    // then
    expect(s.effectsOf('RETRY_JOB')).toHaveLength(1);
    s.completeJob('charge');
    expect(s.state.status).toBe('COMPLETED');
  });

  it('rejects commands for a job the instance does not know', () => {
    // given
    const s = scenario(charge()).start();
    // when
    const complete = s.rejected({ type: 'COMPLETE_JOB', jobKey: 'no-such-job', variables: {} });
    const fail = s.rejected({ type: 'FAIL_JOB', jobKey: 'no-such-job', retries: 0, errorMessage: 'x' });
    const thrown = s.rejected({ type: 'THROW_ERROR', jobKey: 'no-such-job', errorCode: 'E', variables: {} });
    // then
    expect([complete.code, fail.code, thrown.code]).toEqual(['JOB_NOT_FOUND', 'JOB_NOT_FOUND', 'JOB_NOT_FOUND']);
  });

  it('rejects completing the same job twice', () => {
    // given
    const definition = model('p').add('start', 'startEvent').add('a', 'serviceTask').add('b', 'serviceTask').add('end', 'endEvent').chain('start', 'a', 'b', 'end').build();
    const s = scenario(definition).start();
    const jobKey = s.jobKey('a');
    s.completeJob('a');
    // when
    const rejection = s.rejected({ type: 'COMPLETE_JOB', jobKey, variables: {} });
    // then
    expect(rejection.code).toBe('JOB_NOT_FOUND');
  });

  it('rejects every command once the instance has completed', () => {
    // given
    const s = scenario(charge()).start();
    const jobKey = s.jobKey('charge');
    s.completeJob('charge');
    // when
    const rejections = [
      s.rejected({ type: 'COMPLETE_JOB', jobKey, variables: {} }),
      s.rejected({ type: 'CANCEL' }),
      s.rejected({ type: 'RESOLVE_INCIDENT', incidentId: 'x' }),
    ];
    // then
    expect(rejections.map((r) => r.code)).toEqual(['INSTANCE_NOT_ACTIVE', 'INSTANCE_NOT_ACTIVE', 'INSTANCE_NOT_ACTIVE']);
  });
});
