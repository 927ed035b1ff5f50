/**
 * The FEEL dialect Weft parses and evaluates: feelin's `camunda` dialect,
 * the FEEL of Zeebe (feel-scala). It differs from DMN's FEEL, feelin's
 * default, in two ways only: a string literal may span lines (a prompt
 * written over several lines in the modeler, `="You are a helpful
 * assistant.…"`), and a backtick name may too. DMN's grammar refuses a line
 * break inside a string literal, so those expressions, which run in Camunda
 * 8, would not even parse. Every parse (the deploy-time check, the names an
 * expression reads, its shape) uses the same dialect as the evaluation, so
 * what deploys is what runs.
 */
export const FEEL_DIALECT = 'camunda';
