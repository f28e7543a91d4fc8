import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { configProblems as problems, minimalEnv as minimal, writeConfigFile as file } from '../support/configFiles.js';

const KEY = 'a8f3e6b1c2d44f0e9a7b5c3d2e1f0a9b';

describe('the status page settings', () => {
  it('leave the status page off when neither key nor page id is set', () => {
    expect(loadConfig(minimal).statusPage).toBeUndefined();
  });

  it('turn it on with the key and page id, on Atlassian\'s API unless told otherwise', () => {
    expect(loadConfig({ ...minimal, STATUSPAGE_API_KEY: KEY, STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd' }).statusPage).toMatchObject({
      apiKey: KEY,
      pageId: 'kctbh9vrtdwd',
      apiUrl: 'https://api.statuspage.io/v1',
      components: { byName: {}, statusBySeverity: { SEV1: 'major_outage', SEV2: 'partial_outage', SEV3: 'degraded_performance', SEV4: 'degraded_performance' } },
    });
    expect(loadConfig({ ...minimal, STATUSPAGE_API_KEY: KEY, STATUSPAGE_PAGE_ID: 'p1', STATUSPAGE_API_URL: 'http://127.0.0.1:8080/v1/' }).statusPage!.apiUrl).toBe('http://127.0.0.1:8080/v1');
  });

  it('say in one line which of the two is missing', () => {
    expect(problems({ ...minimal, STATUSPAGE_API_KEY: KEY })).toEqual([expect.stringMatching(/^STATUSPAGE_PAGE_ID is missing: the status page needs both/)]);
    expect(problems({ ...minimal, STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd' })).toEqual([expect.stringMatching(/^STATUSPAGE_API_KEY is missing/)]);
    expect(problems({ ...minimal, STATUSPAGE_API_KEY: 'paste-your-key-here', STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd' })).toEqual([expect.stringMatching(/^STATUSPAGE_API_KEY is not an API key/)]);
  });

  it('read the components by name, kept as written, and the component status per severity', () => {
    const config = loadConfig({
      ...minimal,
      STATUSPAGE_API_KEY: KEY,
      STATUSPAGE_PAGE_ID: 'kctbh9vrtdwd',
      INCIDENT_CONFIG: file('status_page:\n  components:\n    Checkout API: cmp0checkout\n    search_service: cmp0search\n  component_status:\n    SEV2: major_outage\n'),
    });
    expect(config.statusPage!.components.byName).toEqual({ 'Checkout API': 'cmp0checkout', search_service: 'cmp0search' });
    expect(config.statusPage!.components.statusBySeverity).toMatchObject({ SEV1: 'major_outage', SEV2: 'major_outage', SEV3: 'degraded_performance' });
  });

  it('name the file and the setting when a component status or id is wrong', () => {
    const path = file('status_page:\n  components:\n    Checkout: "not an id"\n  component_status:\n    SEV1: down\n');
    const found = problems({ ...minimal, INCIDENT_CONFIG: path });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${path}: statusPage.components.Checkout must be a Statuspage component id`),
        expect.stringContaining(`${path}: statusPage.componentStatus.SEV1 must be one of operational, under_maintenance, degraded_performance, partial_outage, major_outage`),
      ]),
    );
  });
});
