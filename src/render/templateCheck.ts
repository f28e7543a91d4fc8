type Node = hbs.AST.Node;

/** Handlebars' own helpers and how many arguments each takes: a wrong count fails only when rendered. */
const BUILT_IN_HELPERS: Record<string, { min: number; max: number }> = {
  if: { min: 1, max: 1 },
  unless: { min: 1, max: 1 },
  each: { min: 1, max: 1 },
  with: { min: 1, max: 1 },
  lookup: { min: 2, max: 2 },
  log: { min: 1, max: Number.POSITIVE_INFINITY },
};

/**
 * What in a parsed template would fail only when rendered, so every declaration would fail with it:
 * a helper the bot does not have (`{{uppercase title}}`), a built-in helper with the wrong number of
 * arguments, a partial (the bot has none), a decorator. Returns the first problem with its line, or
 * undefined. `{{name}}` and `{{#name}}…{{/name}}` without arguments read a value, never a helper.
 */
export function findRenderProblem(program: hbs.AST.Program): string | undefined {
  const inlinePartials = new Set<string>();
  let problem: string | undefined;
  const report = (node: Node, text: string) => {
    problem ??= `line ${node.loc.start.line}: ${text}`;
  };

  const visitCall = (node: Node, path: hbs.AST.PathExpression | hbs.AST.Literal, params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, alwaysACall: boolean) => {
    const args = params.length + (hash?.pairs.length ?? 0);
    if (path.type === 'PathExpression') {
      const name = (path as hbs.AST.PathExpression).original;
      const builtIn = BUILT_IN_HELPERS[name];
      if (builtIn && (params.length < builtIn.min || params.length > builtIn.max)) {
        report(node, `{{${name}}} takes ${builtIn.min === builtIn.max ? builtIn.min : `at least ${builtIn.min}`} argument${builtIn.max === 1 ? '' : 's'}, not ${params.length}`);
      } else if (!builtIn && (args > 0 || alwaysACall)) {
        report(node, `{{${name} …}} calls a helper the bot does not have; it knows only ${Object.keys(BUILT_IN_HELPERS).join(', ')}`);
      }
    }
    params.forEach(visit);
    hash?.pairs.forEach((pair) => visit(pair.value));
  };

  const visit = (node: Node | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        return;
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        visitCall(node, mustache.path, mustache.params, mustache.hash, false);
        return;
      }
      case 'SubExpression': {
        const sub = node as hbs.AST.SubExpression;
        visitCall(node, sub.path, sub.params, sub.hash, true);
        return;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        visitCall(node, block.path, block.params, block.hash, false);
        visit(block.program);
        visit(block.inverse);
        return;
      }
      case 'DecoratorBlock': {
        // `{{#*inline "name"}}…{{/inline}}` defines a partial for this template; nothing else is supported.
        const block = node as hbs.AST.DecoratorBlock;
        const name = block.params[0];
        if (block.path.original === 'inline' && name?.type === 'StringLiteral') inlinePartials.add((name as hbs.AST.StringLiteral).value);
        else report(node, `the decorator {{*${block.path.original}}} is not supported`);
        visit(block.program);
        return;
      }
      case 'Decorator':
        report(node, `the decorator {{*${(node as hbs.AST.Decorator).path.type === 'PathExpression' ? ((node as hbs.AST.Decorator).path as hbs.AST.PathExpression).original : '?'}}} is not supported`);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialStatement;
        const name = partial.name.type === 'PathExpression' ? (partial.name as hbs.AST.PathExpression).original : undefined;
        if (!name || !inlinePartials.has(name)) report(node, `{{> ${name ?? '(…)'}}} uses a partial; the bot has none (write the text in the template itself)`);
        return;
      }
      default:
    }
  };

  // Inline partials are defined before use in Handlebars; one pass sees each definition before its uses.
  visit(program);
  return problem;
}
