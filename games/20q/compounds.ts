/**
 * Compound nouns that hold the name of one of the 158 words but name something else: "a sea horse" is no
 * horse, "a hot dog" no dog, "a flower pot" no cooking pot, "a license plate" no plate. The question mapper
 * reads them as things no word is (like `other_things` of the KB) and the win rule never counts them as a
 * guess of the word they contain. A compound that is the word stays out ("a car key" is a key, "an apple
 * tree" a tree): its head is the last noun, which the mapper already reads as the guess.
 *
 * Normalised like questions (lower case, words separated by single spaces). Written from everyday English
 * for all 158 words, not from any test question.
 */
export const COMPOUND_NAMES: readonly string[] = [
  // animals
  'hot dog', 'corn dog', 'prairie dog', 'sea dog', 'top dog', 'hush puppy', 'big cat', 'big cats', 'large cat', 'large cats', 'wild cat',
  'wild cats', 'wildcat',
  'teddy bear', 'gummy bear', 'koala bear', 'water bear', 'sea lion', 'mountain lion', 'ant lion', 'paper tiger', 'sea horse',
  'rocking horse', 'hobby horse', 'clothes horse', 'saw horse', 'pommel horse', 'vaulting horse', 'iron horse', 'dark horse',
  'trojan horse', 'sea cow', 'cash cow', 'dust bunny', 'white elephant',
  // fruits and vegetables
  'big apple', 'adam apple', 'custard apple', 'rose apple', 'star apple', 'sweet potato', 'couch potato', 'candy corn',
  'pepper corn', 'chick peas', 'sweet peas', 'sea cucumber',
  // things
  'key ring', 'boxing ring', 'onion ring', 'tree ring', 'napkin ring', 'circus ring', 'seat belt', 'safety belt', 'conveyor belt',
  'asteroid belt', 'black belt', 'life jacket', 'book jacket', 'dust jacket', 'strait jacket', 'horse shoe', 'snow shoe', 'brake shoe',
  'wind sock', 'car boot', 'table tennis ball', 'table tennis', 'ping pong ball', 'cable car', 'street car', 'train car', 'side car',
  'rail car', 'hand truck', 'gravy boat', 'space ship', 'air ship', 'paper airplane', 'paper plane', 'baby monitor', 'heart monitor',
  'heart rate monitor', 'piano keyboard', 'electronic keyboard', 'musical keyboard', 'air guitar', 'ear drum', 'oil drum', 'brake drum',
  'champagne flute', 'ear trumpet', 'jaw harp', 'mouth harp', 'periodic table', 'multiplication table', 'water table', 'flower bed',
  'river bed', 'sea bed', 'bed bug', 'front desk', 'help desk', 'pig pen', 'play pen', 'sheep pen', 'cattle pen', 'sand paper',
  'wall paper', 'news paper', 'tuning fork', 'pitch fork', 'license plate', 'number plate', 'home plate', 'tectonic plate',
  'name plate', 'hot plate', 'super bowl', 'toilet bowl', 'dust bowl', 'flower pot', 'tea pot', 'melting pot', 'chamber pot',
  'bed pan', 'dust pan', 'world cup', 'butter cup', 'fire drill', 'family tree', 'shoe tree', 'decision tree',
];
