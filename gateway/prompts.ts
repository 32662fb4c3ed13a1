/**
 * Prompt ids the core plays besides those named in the configuration
 * (menu prompts, hold prompt, survey prompt). Drivers map ids to audio:
 * module-side files on a modem, PCM files on an E1 span, nothing on the
 * simulator (which tells scripted callers what they "heard").
 */
export const Prompts = {
  /** "All our agents are busy, please hold." */
  queueWelcome: 'queue-welcome',
  /** "You are number {n} in the queue." */
  queuePosition: 'queue-position',
  /** "Your estimated wait is {minutes} minutes." */
  queueEstimatedWait: 'queue-ewt',
  /** "Press 1 and we will call you back, keeping your place." */
  callbackOffer: 'callback-offer',
  /** "We will call you back on {digits}. Goodbye." — spoken only after the callback is committed. */
  callbackConfirmed: 'callback-confirmed',
  /** "You already have a callback booked; we will call you." */
  callbackAlreadyBooked: 'callback-already',
  /** "Please key the number we should call, then #." */
  callbackEnterNumber: 'callback-enter-number',
  /** To the agent, agent-first callback: "Callback to a customer, connecting." */
  callbackAgentIntro: 'callback-agent-intro',
  /** To the customer, customer-first callback: "This is your callback, connecting you to an agent." */
  callbackCustomerIntro: 'callback-customer-intro',
  /** "Press 1 to reach the agent you spoke to." */
  agentCallbackOffer: 'agent-callback-offer',
  /** "Please rate the call from 1 to 5." (default survey prompt id) */
  survey: 'survey-question',
  surveyThanks: 'survey-thanks',
  /** "We are closed." */
  closed: 'closed',
  /** "Sorry, no agents are available. Goodbye." */
  queueEmpty: 'queue-empty',
  /** "Goodbye." */
  goodbye: 'goodbye',
  /** Campaign: "Press 1 to confirm, 2 to speak to an agent." */
  campaignOptions: 'campaign-options',
  campaignConfirmed: 'campaign-confirmed',
} as const;

export type SystemPrompt = (typeof Prompts)[keyof typeof Prompts];
