/**
 * Where a thrown BPMN error is caught. Error boundary events and error event
 * sub-processes are not executable yet (the compiler rejects them), so no
 * catcher exists and the error becomes an incident. When they land, this is
 * the one place that walks the scope chain looking for a matching catcher.
 */
import type { ElementInstance, Variables } from './types.js';
import type { Run } from './run.js';

export interface ErrorCatcher {
  catch(variables: Variables): void;
}

export function findErrorCatcher(_run: Run, _thrower: ElementInstance, _errorCode: string): ErrorCatcher | null {
  return null;
}
