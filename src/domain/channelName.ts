import anyAscii from 'any-ascii';

/** Slack's limit for a channel name. */
export const MAX_CHANNEL_NAME_LENGTH = 80;
/** A drill's channel says so in its name, whatever INCIDENT_CHANNEL_PREFIX is: `drill-YYYY-MM-DD-<slug>`. */
export const DRILL_CHANNEL_PREFIX = 'drill';
/**
 * What a channel prefix may be (INCIDENT_CHANNEL_PREFIX, an incident type's channel_prefix): Slack's
 * channel-name characters, short enough to leave room for the date and the title's slug.
 */
export const CHANNEL_PREFIX_PATTERN = /^[a-z0-9][a-z0-9_-]{0,29}$/;
export const CHANNEL_PREFIX_HINT = 'must be 1–30 lowercase letters, digits, hyphens or underscores, e.g. "incident"';
/** Used when a title has nothing that survives as a channel name (e.g. only punctuation). */
export const FALLBACK_SLUG = 'incident';

/**
 * The slug of a title: lowercase ASCII letters, digits and single hyphens. Non-Latin scripts are
 * transliterated ("Сбой базы" → "sboi-bazy", "数据库" → "shujuku") rather than dropped, so a
 * Russian or Chinese title still names its channel.
 */
export function slugify(title: string): string {
  return anyAscii(title.normalize('NFKC'))
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `<prefix>-YYYY-MM-DD-<slug>` and, from the second attempt on, `-2`, `-3`… The slug is cut (at a
 * hyphen where possible) so that the whole name, suffix included, stays within 80 characters.
 */
export function incidentChannelName(prefix: string, isoDate: string, title: string, attempt = 1): string {
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const head = `${prefix}-${isoDate}-`;
  const room = MAX_CHANNEL_NAME_LENGTH - head.length - suffix.length;
  const slug = truncateSlug(slugify(title), room) || FALLBACK_SLUG.slice(0, Math.max(room, 1));
  return `${head}${slug}${suffix}`;
}

function truncateSlug(slug: string, room: number): string {
  if (slug.length <= room) return slug;
  const cut = slug.slice(0, room);
  const lastHyphen = cut.lastIndexOf('-');
  // Prefer ending on a whole word unless that would throw away most of the room.
  const wordCut = lastHyphen >= room / 2 ? cut.slice(0, lastHyphen) : cut;
  return wordCut.replace(/-+$/g, '');
}
