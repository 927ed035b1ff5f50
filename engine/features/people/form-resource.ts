/** `.form` files (form-js JSON) deployed with the diagrams; listed as `forms` in the deployment response. */
import type { ResourceHandler } from '../types.js';
import type { ModelProblem } from '../../model/types.js';
import { checkFormSchema, type FormSchema } from './form-validation.js';
import { storeForm } from './form-repository.js';

export const formResource: ResourceHandler = {
  responseKey: 'forms',
  accepts: (fileName) => /\.form$/i.test(fileName),
  async check({ name, content }) {
    let schema: unknown;
    try {
      schema = JSON.parse(content);
    } catch (error) {
      return [{ file: name, message: `Not a form: the file is not JSON (${(error as Error).message})` }];
    }
    return checkFormSchema(schema).map((message): ModelProblem => ({ file: name, message }));
  },
  store(trx, { name, content }, deploymentId) {
    return storeForm(trx, name, JSON.parse(content) as FormSchema, deploymentId);
  },
};
