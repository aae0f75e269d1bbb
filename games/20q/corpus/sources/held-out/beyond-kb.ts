import { list, type Source } from '../types.js';

/** Held out: more questions beyond the knowledge base. */
export const beyondKb: Source = {
  name: 'held-out/beyond-kb',
  group: 'beyond_kb',
  note: 'hand-written for clem-ts: questions beyond the knowledge base kept out of tuning; answers by hand',
  templates: list('hbk', [
    ['Is it bigger than a toaster?', 't:Refrigerator=y;Car=y;Pen=n;Apple=n'], ['Is it worth more than a thousand dollars?', 't:Car=y;Airplane=y;Pen=n;Apple=n'],
    ['Is it native to Asia?', 't:Tiger=y;Lion=n;Cow=n'], ['Does its name begin with a vowel?', 't:Apple=y;Orange=y;Cat=n;Pen=n'],
    ['Is the word longer than six letters?', 't:Elephant=y;Computer=y;Cat=n;Pen=n'], ['Does it have a horn?', 't:Car=y;Truck=y;Pen=n;Apple=n'],
    ['Is it waterproof?', 't:Boots=y;Paper=n'], ['Is it shorter than a pencil?', 't:Key=y;Eraser=y;Car=n;Tree=n'], ['Does it weigh more than 10 pounds?', 't:Car=y;Piano=y;Pen=n;Apple=n'],
    ['Does it have a roof?', 't:Car=y;Bus=y;Motorcycle=n;Pen=n'], ['Is it bigger than a dog?', 't:Horse=y;Car=y;Pen=n;Cat=n'], ['Is it found in a forest?', 't:Tree=y;Bear=y;Car=n;Pen=n'],
    ['Is it kept inside a desk?', 't:Pen=y;Pencil=y;Car=n;Cow=n'], ['Is it used to cut paper?', 't:Scissors=y;Pen=n;Car=n;Apple=n'], ['Is it worn with shoes?', 't:Socks=y;Car=n;Apple=n'],
    ['Does it go on a bed?', 't:Pillow=y;Car=n;Spoon=n'], ['Is it used for playing tennis?', 't:Tennis racket=y;Tennis ball=y;Basketball=n;Pen=n'],
    ['Is it a big cat like a lion or a tiger?', 't:Lion=y;Tiger=y;Cat=n;Dog=n'], ['Does it eat grass like a cow?', 'a:animal&!a:eats_meat'],
    ['How heavy is it?', 'refuse'], ['What shape is it?', 'refuse'], ['Where is it usually kept?', 'refuse'], ['Is it similar to a spoon?', 'refuse'],
  ]),
};
