import type { App } from '@slack/bolt';
import { checkDeclaration } from '../../domain/declaration.js';
import { linkAlert } from '../../flows/alerts.js';
import { completeDeclaration, recordDeclaration, unrecordedMessage, type DeclareOutcome } from '../../flows/declare.js';
import {
  DECLARE_CALLBACK_ID,
  declaredView,
  declareFailedView,
  declareFormErrors,
  declaringView,
  parseDeclareMetadata,
  readDeclareForm,
  readImpactStartTyped,
} from '../../slack/views/declareModal.js';
import type { FormValues } from '../../slack/views/blocks.js';
import type { Parsed } from '../../domain/commandText.js';
import { parseImpactStart } from '../../domain/impactStart.js';
import { DECLARATION_CRASHED, declaredByMessage, notDeclaredByMessage, UNKNOWN_FAILURE } from '../../messages/declare.js';
import { readPayload, viewSubmissionPayload } from '../payloads.js';
import { declarationFacts } from '../../render/statusPageMessage.js';
import { declarePublicationRefusal, requestedPublication } from '../publicMessage.js';
import type { ListenerDependencies } from '../types.js';
import { checkTypeAndFields } from './typeFields.js';

/** "Impact started at" as typed in the declare form, read in the incident zone; null when left empty. */
function declaredImpactStart(deps: ListenerDependencies, values: FormValues): Parsed<Date | null> {
  const typed = readImpactStartTyped(values);
  return typed ? parseImpactStart(typed, deps.clock.now(), deps.settings.timeZone) : { ok: true, value: null };
}

/** The declare form was submitted: check it, answer Slack at once, then set the incident up. */
export function registerDeclareSubmission(app: App, deps: ListenerDependencies): void {
  app.view(DECLARE_CALLBACK_ID, async ({ ack, body: payload }) => {
    const body = readPayload(viewSubmissionPayload, payload, deps.log, DECLARE_CALLBACK_ID);
    if (!body) return ack();
    const view = body.view;
    const form = checkDeclaration(readDeclareForm(view.state.values));
    const impactStart = declaredImpactStart(deps, view.state.values);
    const typed = checkTypeAndFields(deps.settings.incidentTypes ?? [], view.state.values);
    if (!form.ok || !impactStart.ok || !typed.ok) {
      const formErrors = { ...(form.ok ? {} : form.errors), ...(impactStart.ok ? {} : { impactStartedAt: impactStart.reason }) };
      await ack({ response_action: 'errors', errors: { ...declareFormErrors(formErrors), ...(typed.ok ? {} : typed.errors) } });
      return;
    }
    const declaration = { ...form.declaration, impactStartedAt: impactStart.value, type: typed.type, fields: typed.fields };
    const metadata = parseDeclareMetadata(view.private_metadata);
    const prefills = metadata?.publicPrefill === undefined ? [] : [metadata.publicPrefill];
    const asked = requestedPublication(deps, view.state.values, declarationFacts(declaration, deps.clock.now()), 'investigating', prefills);
    const publicationErrors = 'errors' in asked ? asked.errors : declarePublicationRefusal(declaration.severity, asked.publication);
    if (publicationErrors) {
      await ack({ response_action: 'errors', errors: publicationErrors });
      return;
    }
    const publication = 'publication' in asked ? asked.publication : undefined;
    let recorded: Awaited<ReturnType<typeof recordDeclaration>>;
    try {
      recorded = await recordDeclaration(deps, { declarationKey: view.id, declaredBy: body.user.id, declaration });
    } catch (error) {
      deps.log.error({ err: error }, 'could not record a declaration');
      await ack({ response_action: 'update', view: declareFailedView(unrecordedMessage(error)) });
      return;
    }
    const { incident, created, journalId } = recorded;
    if (!created) {
      // Slack retried a submission we already have: show where it stands, do nothing twice.
      const current = (await deps.incidents.findById(incident.id)) ?? incident;
      const shown =
        current.phase === 'live' && current.channelId
          ? declaredView(current.channelId, [])
          : current.phase === 'aborted'
            ? declareFailedView(current.failureReason ?? UNKNOWN_FAILURE)
            : declaringView(current.title);
      await ack({ response_action: 'update', view: shown });
      return;
    }
    await ack({ response_action: 'update', view: declaringView(incident.title) });

    try {
      let outcome: DeclareOutcome;
      try {
        outcome = await completeDeclaration(deps, incident, publication);
      } catch (error) {
        // completeDeclaration answers every failure itself; this is a bug, and the incident may be half made.
        deps.log.error({ err: error, incidentId: incident.id }, 'declaration crashed');
        outcome = { kind: 'failed', incident, message: DECLARATION_CRASHED };
      }
      if (outcome.kind === 'declared' && metadata?.alertId !== undefined) {
        await linkAlert(deps, metadata.alertId, outcome.incident, body.user.id).catch((error: unknown) => {
          deps.log.error({ err: error, incidentId: incident.id, alertId: metadata.alertId }, 'could not link the incident to the alert it was declared from');
        });
      }
      await reportOutcome(deps, { viewId: view.id, userId: body.user.id, channelId: metadata?.channelId }, outcome);
    } finally {
      if (journalId !== undefined) {
        try {
          await deps.journal.finish(journalId);
        } catch (error) {
          // Left behind, the entry makes the next start say the declaration may be half done: a false alarm, not a loss.
          deps.log.error({ err: error, incidentId: incident.id }, 'could not clear the declaration from the work journal');
        }
      }
    }
  });
}

/** In the modal if it is still open, otherwise as a direct message from the bot. */
async function reportOutcome(
  deps: ListenerDependencies,
  target: { viewId: string; userId: string; channelId: string | undefined },
  outcome: DeclareOutcome,
): Promise<void> {
  const resultView = outcome.kind === 'declared' ? declaredView(outcome.channelId, outcome.warnings) : declareFailedView(outcome.message);
  try {
    await deps.chat.updateView(target.viewId, resultView);
    return;
  } catch (error) {
    deps.log.info({ err: error, incidentId: outcome.incident.id }, 'declare modal gone; reporting by direct message');
  }
  const text =
    outcome.kind === 'declared'
      ? declaredByMessage(outcome.channelId, outcome.warnings)
      : notDeclaredByMessage(outcome.incident.title, outcome.message);
  try {
    await deps.chat.postMessage(target.userId, { text });
  } catch (error) {
    deps.log.error({ err: error, incidentId: outcome.incident.id }, 'could not tell the declarer how the declaration went');
  }
}
