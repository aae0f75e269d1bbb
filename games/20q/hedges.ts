import { offTaskPattern } from './off-task.js';
import { normalise } from './text.js';

/**
 * Verbose and hedged phrasings of chat-model Questioners, reduced to the question they ask: the real
 * question of a longer reply, without the recap before it ("Since it's not alive, …"), the long subject
 * ("the object you're thinking of"), hedging frames ("Would you say it is …"), examples ("(e.g., a
 * spoon)", ", like a hammer") and tags ("…, perhaps?", "…, isn't it?", "… or not?").
 */

/** Replies that only ask whether the sentence before them was right ("My guess is a cat. Is that correct?"). */
const CONFIRMATIONS = new Set([
  'is that correct', 'is that right', 'am i right', 'am i correct', 'right', 'correct', 'is it', 'is that it', 'is this correct', 'is this right',
  'yes or no', 'did i get it', 'did i get it right', 'is that so', 'true', 'am i close', 'was i right', 'could that be it', 'is that the answer',
  'is that your word', 'is that what you are thinking of', 'is that the object', 'would that be correct', 'would that be right', 'is my guess correct',
  'is my guess right', 'am i correct in my guess', 'did i guess it', 'did i guess correctly', 'is that your object', 'could it be',
  'is it correct', 'is it right', 'is this it', 'right or wrong', 'is that true', 'correct or not', 'am i correct or not',
]);

/** The sentences of a reply: a sentence ends after . ! ? or at a line break ("e.g." and "i.e." end none). */
export function sentences(text: string): string[] {
  return text
    .replace(/[*_`#>]+/g, ' ')
    .replace(/\b(e\.\s?g|i\.\s?e|etc|vs|approx|mr|mrs|dr)\./gi, (m) => m.replace(/\./g, ''))
    .split(/(?<=[.!?])\s+|\r?\n+/)
    .map((s) => s.trim().replace(/^["'\u201c\u2018-]+|["'\u201d\u2019]+$/g, '').trim())
    // "Is it a guitar?!", "Is it a cat??": emphasis after the question mark still asks
    .map((s) => s.replace(/\?[!?]+$|!+\?$/, '?'))
    .filter((s) => /[a-z0-9]/i.test(s));
}

const isConfirmation = (sentence: string) => CONFIRMATIONS.has(normalise(sentence));
/** A short wh- question that only follows up the question before it: "How many?", "If so, which one?", "And what color?". */
const FOLLOW_UP = /^(and |or |if so |if yes |if it does |if it is |if not )?(how many|how much|how big|how large|how long|how old|how often|which one|which ones|which|what kind|what sort|what type|what color|what colour|what|where|when|why|how)( (one|ones|kind|exactly|of them|then))?$/;
const isFollowUp = (sentence: string) => FOLLOW_UP.test(normalise(sentence).replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim());

/**
 * The sentence(s) of a reply that ask the question: the last sentence ending in "?", or, when that only
 * asks for confirmation, the statement before it with the confirmation ("My guess is a cat. Is that
 * correct?"); with no "?" at all, the last sentence. Null for a reply without any words.
 */
export function realQuestion(text: string): { question: string; hasQuestionMark: boolean } | null {
  const all = sentences(text);
  if (all.length === 0) return null;
  const questions = all.map((s, i) => ({ s, i })).filter(({ s }) => s.endsWith('?'));
  // an offer or aside after the question ("Is it a vehicle? Would you like me to start guessing?") asks nothing about the object
  const onTopic = questions.filter(({ s }) => offTaskPattern(s) === null);
  let asked = onTopic.length > 0 && offTaskPattern((questions.at(-1) as { s: string }).s) !== null ? onTopic : questions;
  // a short wh- follow-up after a yes/no question ("Does it have wheels? How many?") leaves the yes/no question to answer
  if (asked.length > 1 && isFollowUp((asked.at(-1) as { s: string }).s)) asked = asked.slice(0, -1);
  const last = asked.at(-1);
  if (!last) return { question: all.at(-1) as string, hasQuestionMark: false };
  const before = all[last.i - 1];
  if (isConfirmation(last.s) && before !== undefined) return { question: `${before} ${last.s}`, hasQuestionMark: true };
  return { question: last.s, hasQuestionMark: true };
}

/** The clause that asks: a confirmation tail is dropped and the statement before it is kept. */
export function askingClause(text: string): string {
  const picked = realQuestion(text)?.question ?? '';
  const parts = sentences(picked);
  const last = parts.at(-1);
  return parts.length > 1 && last !== undefined && isConfirmation(last) ? parts.slice(0, -1).join(' ') : (parts.at(-1) ?? '');
}

const AUX = new Set(['is', 'are', 'does', 'do', 'can', 'could', 'would', 'will', 'was', 'were', 'has', 'have', 'should', 'might', 'may', 'did', 'must']);
const LEAD = new Set(['so', 'okay', 'ok', 'alright', 'well', 'then', 'now', 'and', 'but', 'or', 'hmm', 'great', 'next', 'also', 'thanks', 'interesting', 'right', 'good', 'oh']);
/** Tags at the end that do not change the question. */
const TAILS: string[][] = [
  ['is', 'not', 'it'], ['are', 'not', 'they'], ['are', 'not', 'you'], ['would', 'not', 'it'], ['is', 'not', 'that'], ['could', 'not', 'it'], ['does', 'not', 'it'], ['do', 'not', 'they'], ['is', 'it', 'not'], ['perhaps'], ['maybe'], ['by', 'any', 'chance'],
  ['then'], ['after', 'all'], ['do', 'you', 'think'], ['would', 'you', 'say'], ['please'], ['correct'], ['right'], ['or', 'not'], ['or', 'no'], ['if', 'so'],
  // "…, or neither?", "…, or something else?": the alternatives asked are the question
  ['or', 'neither'], ['or', 'both'], ['or', 'something', 'else'], ['or', 'anything', 'else'], ['or', 'none', 'of', 'these'], ['or', 'none', 'of', 'them'],
  ['or', 'none', 'of', 'the', 'above'], ['or', 'none'], ['or', 'what'], ['or', 'other'], ['or', 'something', 'different'],
  ['this', 'time'], ['now'], ['for', 'now'], ['finally'], ['in', 'general'], ['though'], ['at', 'all'], ['as', 'well'], ['too'], ['by', 'chance'], ['i', 'wonder'], ['possibly'], ['is', 'it'], ['in', 'any', 'way'],
];
/** Words that hedge without asking anything ("Is it typically used outdoors?", "a common household item"). */
const HEDGE_WORDS = new Set([
  'typically', 'generally', 'usually', 'commonly', 'normally', 'primarily', 'mainly', 'mostly', 'often', 'frequently', 'basically', 'actually',
  'really', 'definitely', 'possibly', 'probably', 'perhaps', 'maybe', 'also', 'still', 'typical', 'average', 'regular', 'normal', 'ordinary',
  'standard', 'common', 'usual', 'particularly', 'specifically', 'necessarily', 'somehow',
]);

/** Words that only strengthen the next word. */
const INTENSIFIERS = new Set(['pretty', 'quite', 'rather', 'fairly', 'super', 'extremely', 'incredibly', 'somewhat', 'relatively']);
/** Possessive determiners read as "your" (kb.json phrases are written with "your": "fit in your pocket"). */
const POSSESSIVES = new Set(['my', 'our', 'their', 'his', 'her', 'ones']);
/** "my guess is", "my final answer": the player's own move keeps its "my" (guess frames read it). */
const OWN_MOVES = new Set(['guess', 'final', 'answer', 'next', 'question', 'first', 'last', 'turn', 'best', 'thoughts', 'thought']);

/** Long subjects and hedging frames, rewritten to the plain "is it …" question (regular expressions on normalised text). */
/** Verbs of a long subject: "the animal you are thinking of", "the object you have chosen", "the thing in your mind". */
const HAVE_IN_MIND = '(thinking of|thinking about|in mind|chosen|picked|got|imagining|picturing|considering|selected|hiding|come up with|came up with|decided on|settled on)';
/** Kind nouns a question may use as its subject ("Is this animal a pet?", "Does the fruit have seeds?"): the subject is "it". */
const KIND_SUBJECTS =
  '(physical object|object|thing|item|animal|mammal|creature|fruit|vegetable|vehicle|musical instrument|instrument|tool|device|appliance|gadget|machine|plant|food|toy|garment|piece of clothing|item of clothing|piece of furniture|furniture|piece of jewelry|jewelry|accessory|topic|word|answer|utensil|kitchen tool|piece of equipment|equipment|natural feature|body of water)';
const REWRITES: [RegExp, string][] = [
  [new RegExp(`\\b(the|this|your|that)( [a-z]+){1,3}? ((that|which) )?you( are| have| were| had)? ${HAVE_IN_MIND}\\b`, 'g'), 'it'],
  [/\b(the|this|your|that)( [a-z]+){1,3}? (in|on) your mind\b/g, 'it'],
  [/\b(the|this|your|that) ((hidden|secret|mystery|chosen|physical) )?(object|thing|item|word|answer|entity)( (that|which))?( you( are| have| were| had)? (thinking of|thinking about|in mind|chosen|picked|got))\b/g, 'it'],
  [/\bwhat you( are| have| were)? (thinking of|thinking about|in mind)\b/g, 'it'],
  // "Is it anything but a cat?", "Is it something other than a fruit?": an exception is a negation
  [/\b(anything|something|everything) (but|except|besides|other than|apart from)\b/g, 'not'],
  // "I'll take a shot: guitar?", "Let me hazard a guess, a guitar?": the announcement frames the guess
  [/^(, )?(okay |ok |alright |so |well |then )?(, )?(i will|i ll|i am going to|i am gonna|let me|i would like to|i want to|i would|i d like to) (take|have|make|venture|hazard) (a|one more|another|my) (shot|stab|guess|wild guess|final guess|try)( at it)?( ,)?(?= )(?! (is|are|could|would|does|do|can|might|may|it|that|i)\b)/, 'is it'],
  [/\bthe (object|thing|item) in question\b/g, 'it'],
  [/\b(the|this|your) (hidden |secret |mystery |chosen |physical )?(object|thing|item|word|answer|entity)\b/g, 'it'],
  [new RegExp(`^(is|are|was|does|do|did|can|could|would|will|has|might|may) (the|this|that|your|said) ((hidden|secret|mystery|chosen) )?${KIND_SUBJECTS}\\b(?! (category|family|kingdom|group|class)\\b)`), '$1 it'],
  [/\b(would|do|did) you (say|think|consider|agree)( that)? it (is|was|would be)\b/g, 'is it'],
  [/\b(would|could|can) you (describe|classify|categorize|call|consider) it( as| to be)?\b/g, 'is it'],
  [/\b(could|can|would) it be (described|classified|considered|categorized) as\b/g, 'is it'],
  [/\bis it (possible|fair to say|true|safe to say|correct to say|likely)( that)? it (is|would be)\b/g, 'is it'],
  [/\bam i (right|correct|wrong) (in thinking|to think|that|if i say)( that)? it (is|would be)\b/g, 'is it'],
  [/\bwould it be (considered|described as|classified as|called)\b/g, 'is it'],
  [/\bwould it be (fair|correct|accurate) to say( that)? it (is|would be)\b/g, 'is it'],
  [/\bis it (considered|classified as|categorized as|known as|regarded as)( being| to be)?\b/g, 'is it'],
  // "something that …", "an object that …": the generic noun says nothing ("Is it an object?" alone still asks it)
  [/\b(something|an object|a thing|an item|the kind of thing|the sort of thing|some kind of (object|thing|item)|a kind of (object|thing|item)|some sort of (object|thing|item)|a type of (object|thing|item)|an object or (thing|item)|one of those things)( (that|which)( (is|are))?)?(?= (that|which|you|people|we|one|used|found|made|with|to|kept|like|designed|meant|intended|can|could|has|have|is|are|does|do|would|grows|lives|makes|needs|requires|helps|runs|flies|holds|produces|contains|fits|serves|most|i|typically|usually|commonly|normally)\b)/g, ''],
  [/\b(that|which) (is|are)\b/g, ''],
];

/** Cuts a recap or a preamble before the asking clause: "since it is not alive , is it …" → "is it …". */
function cutRecap(tokens: string[]): string[] {
  let out = tokens;
  for (let i = out.length - 3; i >= 0; i--) {
    // ", is it …", and ", so is it …" after a recap ("It's not bigger than a breadbox, so is it …"); ", or is it …" joins alternatives
    const lead = LEAD.has(out[i + 1] as string) && out[i + 1] !== 'or' && out[i + 1] !== 'and' && AUX.has(out[i + 2] as string);
    if (out[i] === ',' && (AUX.has(out[i + 1] as string) || lead)) {
      out = out.slice(i + 1);
      break;
    }
  }
  while (out.length > 2 && (LEAD.has(out[0] as string) || out[0] === ',') && (AUX.has(out[1] as string) || LEAD.has(out[1] as string) || out[1] === ',')) out = out.slice(1);
  return out;
}

function cutTails(tokens: string[]): string[] {
  let out = tokens;
  for (let changed = true; changed; ) {
    changed = false;
    while (out.at(-1) === ',') out = out.slice(0, -1);
    for (const tail of TAILS) {
      const at = out.length - tail.length;
      if (at >= 2 && tail.every((t, i) => out[at + i] === t)) {
        out = out.slice(0, at);
        // "a vegetable, a fruit, or something else": the list keeps its "or" on its last comma
        if (tail[0] === 'or' && tail.length > 1 && !out.includes('or')) {
          while (out.at(-1) === ',') out = out.slice(0, -1);
          const comma = out.lastIndexOf(',');
          if (comma > 0) out = [...out.slice(0, comma), 'or', ...out.slice(comma + 1)];
        }
        changed = true;
        break;
      }
    }
  }
  return out;
}

/**
 * The tokens of the question a reply asks, lower case, with commas kept as "," tokens (coordination reads
 * them). Parentheses and example tails are dropped before tokenizing, then recaps, tags, long subjects,
 * hedging frames and hedge words.
 */
export function focusTokens(text: string): string[] {
  const clause = askingClause(text)
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\s[-\u2013\u2014]\s/g, ', ')
    // "Is it a fruit, and if so, is it red?": both are asked
    .replace(/,?\s+and,?\s+if (so|yes|it is|it does),?\s+/gi, ' and ')
    // "Does it have, like, wheels?", "Is it, um, a tool?": a filler between commas is no example
    .replace(/,\s*(like|um|uh|er|erm|you know|i mean)\s*,/gi, ',')
    .replace(/\s*,\s*(like|such as|e\.?\s?g|for example|for instance|including|say|whether)\b[^?]*/gi, ' ')
    .replace(/\s+(such as|e\.?\s?g|for example|for instance|including)\b[^?]*/gi, ' ');
  const pieces = clause.split(/[,;:]+/).map((p) => normalise(p)).filter((p) => p !== '');
  let tokens = cutRecap(cutTails(pieces.join(' , ').split(' ')));
  let text2 = tokens.join(' ');
  for (const [re, by] of REWRITES) text2 = text2.replace(re, by);
  // "Are there seeds inside it?": "inside it" is where, not "indoors"
  text2 = text2.replace(/ (inside|inside of|within) (it|them)\b(?! (is|are|has|have)\b)/g, '');
  // "What about something that has strings?", "How about a fruit?": a proposal asks whether it is that
  text2 = text2.replace(/^(what|how) about\b/, 'is it').replace(/\b(a little bit|a tiny bit|a bit)\b(?= [a-z])/g, '');
  // "electronic in nature": "in nature" after a quality only qualifies it ("found in nature" keeps it)
  text2 = text2.replace(/(?<!\b(found|find|see|discover|occur|occurs|exist|exists|seen|live|lives|grow|grows|growing|made|come|comes|it|things|something|common|abundant|everywhere)) in nature$/, '');
  // "Is it something you can carry?" (the generic noun already dropped): the verb's object is the thing itself
  text2 = text2.replace(/\s+/g, ' ').trim().replace(/^(is|are) (it|they) (you|people|one|we|i|someone|anyone) (can|could|would|might|will|usually|often|typically|normally)( [a-z]+){1,2}$/, (m, _aux, _it, who: string) =>
    / (in|on|at|with|to|for|from|into|onto|by|of|up|out|off|around|about)$/.test(m) ? m : `${m.slice(m.indexOf(` ${who} `) + 1)} it`,
  );
  // "in my house", "on their head", "in our home": whose it is does not change the question; the KB's phrases say "your"
  tokens = text2.split(' ').filter((t) => t !== '' && !HEDGE_WORDS.has(t));
  // "pretty sturdy", "quite heavy": an intensifier before another word is no question of its own ("Is it pretty?" is)
  tokens = tokens.filter((t, i) => !INTENSIFIERS.has(t) || i + 1 >= tokens.length || tokens[i + 1] === ',' || tokens[i + 1] === 'and' || tokens[i + 1] === 'or');
  tokens = tokens.map((t, i) => (POSSESSIVES.has(t) && !OWN_MOVES.has(tokens[i + 1] as string) ? 'your' : t));
  tokens = cutRecap(cutTails(tokens));
  if (tokens[0] === 'or' || tokens[0] === 'and') tokens = tokens.slice(1);
  return tokens;
}
