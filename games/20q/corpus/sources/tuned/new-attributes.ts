import { list, type Source } from '../types.js';

/**
 * Attributes the knowledge base lacked, or did not recognise in these wordings (issue 13): animate,
 * handheld, mineral, machine, buttons and controls, moving parts, a purpose, shrub, made for children,
 * outdoors, batteries or electricity, sound, daily use, and the like.
 */
export const newAttributes: Source = {
  name: 'tuned/new-attributes',
  group: 'new_attributes',
  note: 'hand-written for clem-ts after the attributes real chat models ask about (issue 13)',
  templates: list('na', [
    ['Is the object animate?', 'a:alive'], ['Is it animate?', 'a:alive'], ['Is it an animate object?', 'a:alive'], ['Is it a living object?', 'a:alive'],
    ['Does it have life?', 'a:alive'], ['Is it a life form?', 'a:alive'], ['Is it a non-living thing?', '!a:alive'], ['Is it nonliving?', '!a:alive'],
    ['Can you hold it in one hand?', 'a:fits_in_hand'], ['Is it handheld?', 'a:fits_in_hand'], ['Does it fit in your hand?', 'a:fits_in_hand'],
    ['Can it be held in one hand?', 'a:fits_in_hand'], ['Can you hold it in your hand?', 'a:fits_in_hand'], ['Is it small enough to hold in your hand?', 'a:fits_in_hand'],
    ['Is it a handheld device?', 'a:fits_in_hand&a:electronic'], ['Is it a mineral?', 'a:mineral'], ['Is it mineral?', 'a:mineral'], ['Is it a type of mineral?', 'a:mineral'],
    ['Is it a machine?', 'a:machine'], ['Is it some kind of machine?', 'a:machine'], ['Is it a type of machine?', 'a:machine'], ['Does it have buttons?', 'a:has_buttons'],
    ['Does it have any buttons?', 'a:has_buttons'], ['Are there buttons on it?', 'a:has_buttons'], ['Does it have controls?', 'a:has_controls'],
    ['Does it have switches or knobs?', 'a:has_controls'], ['Does it have moving parts?', 'a:has_moving_parts'], ['Does it have any moving parts?', 'a:has_moving_parts'],
    ['Are there moving parts in it?', 'a:has_moving_parts'], ['Does it have a specific purpose?', 'a:man_made'], ['Does it serve a specific function?', 'a:man_made'],
    ['Is it used for a specific purpose?', 'a:man_made'], ['Is it a shrub?', 'a:shrub'], ['Is it a kind of shrub?', 'a:shrub'], ['Is it made for children?', 'c:Toys'],
    ['Is it designed for kids?', 'c:Toys'], ['Is it intended for children?', 'c:Toys'], ['Is it typically found outdoors?', 'a:outdoors'],
    ['Is it found outside the house?', 'a:outdoors'], ['Would you find it outdoors?', 'a:outdoors'], ['Does it need batteries or electricity?', 'a:uses_batteries|a:electronic'],
    ['Does it require electricity?', 'a:electronic'], ['Does it need electricity to work?', 'a:electronic'], ['Is it battery-powered?', 'a:uses_batteries'],
    ['Does it need to be charged?', 'a:rechargeable'], ['Do you have to charge it?', 'a:rechargeable'], ['Does it make a sound?', 'a:makes_sound'],
    ['Does it make any sounds?', 'a:makes_sound'], ['Can it produce noise?', 'a:makes_sound'], ['Is it used daily?', 'a:used_daily'], ['Do you use it every day?', 'a:used_daily'],
    ['Is it something people use every day?', 'a:used_daily'], ['Is it used on a daily basis?', 'a:used_daily'], ['Does it have a tail?', 'a:has_tail'],
    ['Does it have eyes?', 'a:has_eyes'], ['Is it a type of tool?', 'a:tool'], ['Does it require fuel?', 'a:has_engine'], ['Does it need gasoline?', 'a:has_engine'],
    ['Does it have a plug?', 'a:plugged_in'], ['Is it a gadget?', 'a:electronic'], ['Is it a device?', 'a:electronic'], ['Can it grow?', 'a:alive'], ['Does it grow?', 'a:alive'],
    ['Does it lay eggs?', 'never'], ['Does it live in the ocean?', 'never'], ['Is it technological?', 'a:electronic'], ['Is it a piece of technology?', 'a:electronic'],
    ['Is it powered?', 'a:electronic|a:has_engine'], ['Does it need power to work?', 'a:electronic|a:has_engine'], ['Does it run on fuel or electricity?', 'a:has_engine|a:electronic'],
    ['Is it a common household object?', 'a:found_in_home'], ['Is it something found in most households?', 'a:found_in_home'], ['Is it found in a typical home?', 'a:found_in_home'],
    ['Is it a tool you can hold in one hand?', 'a:tool&a:fits_in_hand'], ['Does it have a power button?', 'a:has_buttons&a:electronic'],
    ['Is it a machine with moving parts?', 'a:machine&a:has_moving_parts'], ['Does it need a battery to work?', 'a:uses_batteries'],
    ['Is it a living thing that grows?', 'a:alive'], ['Is it used every day by most people?', 'a:used_daily'], ['Does it have a tail and four legs?', 'a:has_tail&a:has_legs'],
    ['Is it a kind of device with a screen?', 'a:has_screen'], ['Is it mechanical, like a machine?', 'a:machine'], ['Can a child hold it in one hand?', 'a:fits_in_hand'],
    ['Do people use it daily at home?', 'a:used_daily'], ['Is it something you would find outdoors?', 'a:outdoors'], ['Does it have wheels or moving parts?', 'a:has_wheels|a:has_moving_parts'],
  ]),
};
