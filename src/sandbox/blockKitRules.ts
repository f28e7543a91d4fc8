/**
 * Slack's Block Kit limits, as the fake Slack enforces them. Each check returns human-readable
 * errors with a JSON pointer, the way Slack's `invalid_blocks` / `invalid_arguments` explain themselves.
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Text Slack accepts but shows with debris, as it comes out of a cut in the wrong place: half of a
 * character, a joiner or modifier torn off its emoji, or (in mrkdwn) an `&lt;`-style entity or a
 * `<…>` mention or link cut off at the end. Not one of Slack's refusals: the fake is stricter so
 * that tests catch such cuts.
 */
export function brokenTextProblem(text: string, type: 'plain_text' | 'mrkdwn'): string | undefined {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) return 'contains half of a character (a lone surrogate)';
  if (/^[\u200D\uFE0E\uFE0F\u20E3\u{1F3FB}-\u{1F3FF}\p{M}]/u.test(text) || /\u200D$/.test(text)) return 'is cut in the middle of a character';
  if (type === 'mrkdwn' && /&#?[a-z0-9]{0,8}$/i.test(text)) return 'ends in a cut entity such as "&lt"';
  if (type === 'mrkdwn' && /<[^<>]*$/.test(text)) return 'ends in a cut <…> mention or link';
  return undefined;
}

class Checker {
  readonly errors: string[] = [];
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();

  fail(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }

  maxLength(path: string, value: unknown, limit: number): void {
    if (typeof value === 'string' && value.length > limit) this.fail(path, `must be at most ${limit} characters (got ${value.length})`);
  }

  text(path: string, value: unknown, limit: number, plainOnly = false): void {
    if (!isObject(value)) return this.fail(path, 'must be a text object');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return this.fail(`${path}/type`, 'must be plain_text or mrkdwn');
    if (plainOnly && value.type !== 'plain_text') this.fail(`${path}/type`, 'must be plain_text');
    if (typeof value.text !== 'string' || value.text.length === 0) return this.fail(`${path}/text`, 'must be a non-empty string');
    this.maxLength(`${path}/text`, value.text, limit);
    const broken = brokenTextProblem(value.text, value.type as 'plain_text' | 'mrkdwn');
    if (broken) this.fail(`${path}/text`, broken);
  }

  optionalText(path: string, value: unknown, limit: number, plainOnly = false): void {
    if (value !== undefined) this.text(path, value, limit, plainOnly);
  }

  id(path: string, value: unknown, seen: Set<string>): void {
    if (value === undefined) return;
    if (typeof value !== 'string') return this.fail(path, 'must be a string');
    this.maxLength(path, value, 255);
    if (seen.has(value)) this.fail(path, `duplicate id "${value}"`);
    seen.add(value);
  }

  options(path: string, options: unknown, min: number, max: number, plainOnly: boolean): string[] {
    if (!Array.isArray(options)) {
      this.fail(path, 'must be an array');
      return [];
    }
    if (options.length < min || options.length > max) this.fail(path, `must have ${min}–${max} options (got ${options.length})`);
    return options.map((option, index) => {
      const at = `${path}/${index}`;
      if (!isObject(option)) {
        this.fail(at, 'must be an option object');
        return '';
      }
      this.text(`${at}/text`, option.text, 75, plainOnly);
      this.optionalText(`${at}/description`, option.description, 75, plainOnly);
      if (typeof option.value !== 'string') this.fail(`${at}/value`, 'must be a string');
      this.maxLength(`${at}/value`, option.value, 150);
      return String(option.value);
    });
  }

  element(path: string, element: unknown): void {
    if (!isObject(element)) return this.fail(path, 'must be an element object');
    this.id(`${path}/action_id`, element.action_id, this.actionIds);
    this.optionalText(`${path}/placeholder`, element.placeholder, 150, true);
    switch (element.type) {
      case 'button':
        this.text(`${path}/text`, element.text, 75, true);
        this.maxLength(`${path}/value`, element.value, 2000);
        this.maxLength(`${path}/url`, element.url, 3000);
        if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') this.fail(`${path}/style`, 'must be primary or danger');
        return;
      case 'static_select':
      case 'multi_static_select': {
        if (element.option_groups !== undefined) {
          if (!Array.isArray(element.option_groups) || element.option_groups.length > 100) this.fail(`${path}/option_groups`, 'must have at most 100 groups');
          return;
        }
        const values = this.options(`${path}/options`, element.options, 1, 100, true);
        const initial = element.initial_option;
        if (isObject(initial) && !values.includes(String(initial.value))) this.fail(`${path}/initial_option`, 'must be one of the options');
        if (Array.isArray(element.initial_options) && element.initial_options.some((option) => !isObject(option) || !values.includes(String(option.value)))) {
          this.fail(`${path}/initial_options`, 'must be among the options');
        }
        return;
      }
      case 'number_input': {
        if (typeof element.is_decimal_allowed !== 'boolean') this.fail(`${path}/is_decimal_allowed`, 'is required');
        if (element.initial_value !== undefined && (typeof element.initial_value !== 'string' || !Number.isFinite(Number(element.initial_value)))) this.fail(`${path}/initial_value`, 'must be a number as a string');
        return;
      }
      case 'datepicker': {
        if (element.initial_date !== undefined && (typeof element.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(element.initial_date))) this.fail(`${path}/initial_date`, 'must be YYYY-MM-DD');
        return;
      }
      case 'checkboxes':
      case 'radio_buttons':
        this.options(`${path}/options`, element.options, 1, 10, false);
        return;
      case 'overflow':
        this.options(`${path}/options`, element.options, 2, 5, true);
        return;
      case 'plain_text_input': {
        for (const key of ['max_length', 'min_length'] as const) {
          const limit = element[key];
          if (limit !== undefined && (typeof limit !== 'number' || limit < 0 || limit > 3000)) this.fail(`${path}/${key}`, 'must be 0–3000');
        }
        const max = typeof element.max_length === 'number' ? element.max_length : 3000;
        this.maxLength(`${path}/initial_value`, element.initial_value, max);
        return;
      }
      case 'users_select':
      case 'multi_users_select':
      case 'conversations_select':
      case 'multi_conversations_select':
      case 'channels_select':
      case 'timepicker':
      case 'datetimepicker':
      case 'image':
        return;
      default:
        this.fail(`${path}/type`, `unknown element type ${JSON.stringify(element.type)}`);
    }
  }

  blocks(blocks: unknown, max: number, where: 'message' | 'modal'): void {
    if (!Array.isArray(blocks)) return this.fail('/blocks', 'must be an array');
    if (blocks.length > max) this.fail('/blocks', `must have at most ${max} blocks (got ${blocks.length})`);
    blocks.forEach((block, index) => this.block(`/blocks/${index}`, block, where));
  }

  block(path: string, block: unknown, where: 'message' | 'modal'): void {
    if (!isObject(block)) return this.fail(path, 'must be a block object');
    this.id(`${path}/block_id`, block.block_id, this.blockIds);
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) this.fail(path, 'a section needs text or fields');
        this.optionalText(`${path}/text`, block.text, 3000);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length > 10) this.fail(`${path}/fields`, 'must have at most 10 fields');
          else block.fields.forEach((field, index) => this.text(`${path}/fields/${index}`, field, 2000));
        }
        if (block.accessory !== undefined) this.element(`${path}/accessory`, block.accessory);
        return;
      case 'header':
        return this.text(`${path}/text`, block.text, 150, true);
      case 'divider':
        return;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 10) return this.fail(`${path}/elements`, 'must have 1–10 elements');
        block.elements.forEach((element, index) => {
          if (isObject(element) && element.type !== 'image') this.text(`${path}/elements/${index}`, element, 3000);
        });
        return;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length < 1 || block.elements.length > 25) return this.fail(`${path}/elements`, 'must have 1–25 elements');
        block.elements.forEach((element, index) => this.element(`${path}/elements/${index}`, element));
        return;
      case 'input':
        if (where === 'message') return this.fail(path, 'input blocks are only allowed in modals');
        this.text(`${path}/label`, block.label, 2000, true);
        this.optionalText(`${path}/hint`, block.hint, 2000, true);
        if (block.dispatch_action !== undefined && typeof block.dispatch_action !== 'boolean') this.fail(`${path}/dispatch_action`, 'must be true or false');
        if (block.element === undefined) return this.fail(`${path}/element`, 'is required');
        return this.element(`${path}/element`, block.element);
      case 'image':
      case 'rich_text':
        return;
      default:
        this.fail(`${path}/type`, `unknown block type ${JSON.stringify(block.type)}`);
    }
  }
}

export function validateMessageBlocks(blocks: unknown): string[] {
  const checker = new Checker();
  checker.blocks(blocks, 50, 'message');
  return checker.errors;
}

export function validateModalView(view: unknown): string[] {
  const checker = new Checker();
  if (!isObject(view)) return ['/: the view must be an object'];
  if (view.type !== 'modal') checker.fail('/type', 'must be "modal"');
  if (view.title === undefined) checker.fail('/title', 'is required');
  else checker.text('/title', view.title, 24, true);
  checker.optionalText('/submit', view.submit, 24, true);
  checker.optionalText('/close', view.close, 24, true);
  checker.maxLength('/private_metadata', view.private_metadata, 3000);
  checker.maxLength('/callback_id', view.callback_id, 255);
  checker.maxLength('/external_id', view.external_id, 255);
  checker.blocks(view.blocks, 100, 'modal');
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
  if (hasInput && view.submit === undefined) checker.fail('/submit', 'is required when the view has input blocks');
  return checker.errors;
}

/** A Home tab as views.publish takes it: type home, at most 100 blocks. */
export function validateHomeView(view: unknown): string[] {
  const checker = new Checker();
  if (!isObject(view)) return ['/: the view must be an object'];
  if (view.type !== 'home') checker.fail('/type', 'must be "home"');
  checker.maxLength('/private_metadata', view.private_metadata, 3000);
  checker.maxLength('/callback_id', view.callback_id, 255);
  checker.maxLength('/external_id', view.external_id, 255);
  checker.blocks(view.blocks, 100, 'modal');
  return checker.errors;
}
