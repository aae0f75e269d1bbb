import { list, type Source } from '../types.js';

/**
 * Questions a person can answer but the knowledge base has no value for (sizes against other things,
 * prices, places, spelling), with answers written by hand for a few words; and questions that are not
 * yes/no at all ("What color is it?"), expected to be refused.
 */
export const beyondKb: Source = {
  name: 'tuned/beyond-kb',
  group: 'beyond_kb',
  note: 'hand-written for clem-ts: what chat models ask beyond any knowledge base; answers by hand',
  templates: list('bk', [
    ['Is it bigger than a microwave?', 't:Refrigerator=y;Car=y;Pen=n;Apple=n'], ['Does it cost more than $100?', 't:Car=y;Computer=y;Pen=n;Apple=n'],
    ['Is it found in Africa?', 't:Lion=y;Elephant=y;Tiger=n'], ['Does the word start with the letter C?', 't:Cat=y;Car=y;Dog=n;Pen=n'],
    ['Does its name have more than five letters?', 't:Elephant=y;Computer=y;Cat=n;Pen=n'], ['Does it have a steering wheel?', 't:Car=y;Truck=y;Motorcycle=n;Pen=n'],
    ['Can it swim?', 't:Dog=y;Elephant=y;Pen=n;Car=n'], ['Does it float on water?', 't:Boat=y;Ship=y;Car=n;Rock=n'], ['Does it have a lid?', 't:Cooking pot=y;Plate=n;Fork=n'],
    ['Is it fragile?', 't:Plate=y;Cup=y;Hammer=n;Rock=n'], ['Does it have a zipper?', 't:Jacket=y;Shirt=n;Pen=n;Apple=n'],
    ['Is it smaller than a football?', 't:Golf ball=y;Tennis ball=y;Car=n;Basketball=n'], ['Is it heavier than a bowling ball?', 't:Car=y;Piano=y;Pen=n;Apple=n'],
    ['Does it have a face?', 't:Cat=y;Watch=y;Pen=n;Car=n'], ['Is it used for baking?', 't:Whisk=y;Bowl=y;Pen=n;Car=n'], ['Is it taller than a giraffe?', 't:Mountain=y;Tree=y;Cat=n;Car=n'],
    ['Does it need sunlight?', 't:Tree=y;Cactus=y;Cat=n;Pen=n'], ['Does it have a trunk?', 't:Elephant=y;Tree=y;Car=y;Pen=n'], ['Does it cost less than $10?', 't:Pen=y;Pencil=y;Car=n;Computer=n'],
    ['Was it invented before 1900?', 't:Piano=y;Train=y;Computer=n;Smartphone=n'], ['Is it smaller than a cat?', 't:Pen=y;Apple=y;Car=n;Horse=n'],
    ['Is it used to hit a ball?', 't:Baseball bat=y;Tennis racket=y;Basketball=n;Pen=n'], ['Would you use it with paper?', 't:Pen=y;Pencil=y;Stapler=y;Car=n;Apple=n'],
    ['Is it heavier than a car?', 't:Truck=y;Elephant=y;Pen=n;Cat=n'], ['Is it found in a car?', 't:Key=y;Elephant=n;Piano=n'], ['Can it climb trees?', 't:Cat=y;Bear=y;Cow=n;Pen=n'],
    ['What color is it?', 'refuse'], ['What is it made of?', 'refuse'], ['Where would I find it?', 'refuse'], ['How big is it?', 'refuse'], ['Which room is it usually in?', 'refuse'],
    ['Is it something like a cat?', 'refuse'], ['Is it related to a guitar?', 'refuse'], ['Is it found near a river?', 'refuse'],
  ]),
};
