/**
 * What the sandbox's Slack says to the person at the page when something is refused or fails: the
 * sentences Slack's own client shows where it has one, so the sandbox teaches what Slack does.
 */
export const PAGE_MESSAGES = {
  unknownPerson: (id: string) => `There is no person ${id} in the sandbox: pick someone under "Acting as".`,
  noChannel: 'That channel does not exist, or is private and you are not in it.',
  archived: 'This channel has been archived: nobody can post in it any more.',
  emptyMessage: 'Type a message first.',
  messageTooLong: (max: number) => `Messages can be at most ${max} characters long.`,
  unknownCommand: (command: string) => `${command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
  commandFailed: (command: string, error: string) => `${command} failed with the error "${error}"`,
  noSuchButton: 'That button is not on that message any more: the message changed. Try again on the current message.',
  chooseSeveral: 'Hold Ctrl (⌘ on a Mac) and click to choose more than one.',
  noSuchHomeButton: 'That button is not on your Home tab any more: the app changed it. Try again on the current Home tab.',
  actionFailed: (error: string) => `The app did not handle that click (${error}); Slack would show a warning beside the button.`,
  modalNotOpen: 'That form is no longer open.',
  refusedPayload: (problem: string) => `Slack would not send this form: ${problem}.`,
  noAnswerInTime: (seconds: number) => `We had some trouble connecting: the app did not answer within ${seconds} seconds. Try again.`,
  botRejected: (status: number) => `We had some trouble connecting: the app answered HTTP ${status}. Try again.`,
  unusableAnswer: (problem: string) => `The app answered with something Slack cannot use (${problem}), so the form stays open.`,
  eventFailed: (error: string) => `Slack could not deliver the event to the app (${error}).`,
  fileNotFound: 'No such file, or it was not shared in a channel you can read.',
  badRequest: 'The sandbox did not understand that request.',
  slackRefused: (code: string) => `Slack refused that: ${code}.`,
} as const;
