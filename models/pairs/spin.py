#!/usr/bin/env python3
"""Spin the project's original sentences the way free article spinners do.

    python3 models/pairs/spin.py models/pairs     (rewrites every NAME.spun.txt)

Reads each NAME.orig.txt in the directory and writes NAME.spun.txt.  The
spinner imitates Spinbot and the free "article rewriter" sites: it walks the
words, and where its thesaurus (HABITS below, written for this project from
the habits such tools are known for) has an entry it may replace the word or
phrase with a synonym picked without regard to sense ("in" -> "successful",
"fire" -> "fireplace", "close to" -> "shut to").  It keeps the case of the
word it replaces, keeps "'s", never fixes the grammar around a swap ("a
increase") and swaps names too ("Green Party" -> "Inexperienced Social
gathering").  Each document gets its own swap rate (drawn from 15-40% of
its content words; the thesaurus does not cover them all, so 9-40% come out
swapped; function words less often) and its own spinner: half of them always
take the first synonym, the others pick any.  Some sentences are left alone.
The random stream depends only on the file name, so reruns give the same text.
"""
import os
import random
import re
import sys

# "source = first choice | other choice ; source = ..."  Sources of several
# words are fixed phrases; a leading "~" marks a function word (swapped less
# often).  Inflected forms are listed as their own entries.
HABITS = """
said = stated | mentioned ; says = says | states ; say = say | state ; saying = saying | stating
told = advised | instructed ; tell = inform | inform
people = individuals | folks ; men = males ; women = girls | ladies ; man = man | person
children = youngsters | kids ; parents = mother and father ; mother = mom ; father = father | dad
wife = spouse ; husband = husband | partner ; family = household ; families = households
year = yr | 12 months ; last year = final yr | final 12 months
last week = final week | final week ; last = final | final | previous ; next = subsequent
next year = subsequent yr | subsequent year ; next month = subsequent month
government = authorities ; country = nation ; countries = international locations | nations
country's = nation's ; city = metropolis ; town = city | city
towns = cities ; area = space | space ; region = area | area
home = house | residence ; homes = houses | properties ; house = home | home ; houses = homes
expected = anticipated | anticipated ; expect = anticipate ; expects = anticipates
could = may | might ; ~may = could | might ; should = ought to | should ; must = should | must
company = firm | firm ; companies = corporations | firms ; company's = firm's
firm = agency | firm ; firms = companies ; business = business | enterprise
businesses = companies | companies ; small = small | little ; large = giant | massive
big = massive | huge ; biggest = largest | greatest ; largest = largest | greatest
help = assist | assist ; helps = helps | assists ; helped = helped | assisted ; helping = serving to
show = present | present ; shows = exhibits | reveals ; showed = confirmed | confirmed
shown = proven | proven ; get = get hold of | get ; got = bought | obtained
however = nevertheless | nonetheless ; ~both = each | each ; ~in = successful
news = information | information ; source = supply ; link = hyperlink
~about = about | round | roughly ; ~around = round | round ; ~also = additionally | additionally
~many = many | numerous | quite a lot of ; ~several = a number of | a number of
~because = as a result of | as a result of | due to the fact that ; because of = due to | on account of
~although = though | though | even though ; ~before = earlier than | earlier than
~during = throughout | throughout ; ~until = till | till ; ~within = inside | inside
~outside = outdoors | exterior ; ~against = towards | towards ; ~among = amongst
~across = throughout | throughout ; ~without = with out | with out ; ~through = by way of | via
~under = underneath | beneath ; nearby = close by | close by ; ~enough = sufficient | sufficient
~only = solely | solely ; ~just = simply | simply ; a few = just a few | a couple of
~every = each | each ; ~each = every | every ; ~other = different | different
~more = extra | extra ; ~less = much less | much less ; ~much = a lot | a lot | much
~well = properly | nicely ; up to = as much as | as much as ; ~back = again | again
~again = once more | once more ; ~once = as soon as | as soon as ; ~often = typically | usually
~still = nonetheless | nonetheless | nonetheless ; ~further = additional | additional
~while = whereas | whereas ; ~but = however | however | but ; ~almost = nearly | virtually
more than = greater than | greater than | more than ; less than = lower than | lower than
according to = in response to | in accordance with | in line with ; as well as = in addition to
such as = corresponding to | akin to | reminiscent of ; in order to = so as to
at least = a minimum of | not less than | at the least ; take place = happen | happen
carry out = perform | perform ; carried out = carried out | performed ; set up = arrange | arrange
look for = search for | search for ; looked for = regarded for | seemed for
interest rates = rates of interest | rates of interest ; climate = local weather
weather = climate | climate ; strong = robust | sturdy | sturdy ; quickly = shortly | rapidly
rapidly = quickly | quickly ; slightly = barely | barely | somewhat ; simple = easy | easy
easy = simple | straightforward ; best = greatest | finest ; better = higher | higher
serious = severe | critical ; seriously = critically | severely ; huge = big | enormous
record = file | report ; records = information | data ; rate = charge | price | fee
rates = charges | charges ; level = stage | degree ; levels = ranges | ranges
problem = downside | drawback ; problems = issues | issues ; chance = likelihood | probability
result = outcome | consequence ; results = outcomes | outcomes ; effect = impact | impact
effects = results | results ; affect = have an effect on | have an effect on
provide = present | present | supply ; provides = offers | supplies ; offer = supply | provide
offered = supplied | provided ; offering = providing | providing ; offers = provides | gives
increase = improve | enhance ; increased = elevated | elevated ; rise = rise | improve | enhance
rose = rose | elevated ; reduce = cut back | scale back | cut back ; reduced = decreased | lowered
reduces = reduces | cuts back ; reducing = decreasing | lowering ; protect = shield | defend
protects = protects | shields ; support = assist | help ; supported = supported | backed
change = change | alter ; changes = modifications | adjustments ; changed = modified | modified
build = construct | construct ; built = constructed | constructed ; building = constructing | constructing
site = website | web site ; online = on-line | on-line ; email = e mail | e-mail ; emails = emails | e-mails
phone = cellphone | telephone ; phones = telephones | cellphones ; camera = digital camera | digital camera
screen = display | display screen ; features = options | options ; software = software program | software program
systems = programs | techniques ; artificial = synthetic | synthetic ; data = knowledge | information | knowledge
security = safety | safety ; attack = assault | assault ; attacks = assaults | assaults
bank = financial institution | financial institution ; banks = banks | financial institutions
economy = economic system | financial system ; economic = financial | economic
growth = progress | development ; grow = develop | develop ; growing = rising | rising
profits = earnings | income ; revenue = income | income ; sales = gross sales | gross sales
sold = offered | bought ; sell = promote | promote ; buy = purchase | purchase ; bought = purchased | purchased
shop = store | store ; shops = outlets | retailers ; store = retailer | retailer ; stores = shops | shops
food = meals | meals ; energy = power | vitality ; power = energy | energy | energy ; fuel = gasoline | gas
petrol = gasoline | petrol ; electricity = electrical energy | electrical energy ; electric = electrical | electrical
car = automobile | automotive | car ; cars = vehicles | automobiles ; road = highway | street
roads = roads | highways ; street = avenue | road ; streets = streets | roads ; train = practice | prepare
services = companies | providers ; airlines = airways | airways ; meeting = assembly | assembly
local = native | native ; the public = the general public | the general public ; schools = colleges | faculties
school = faculty | college ; students = college students | college students ; teachers = academics | lecturers
teacher = instructor | trainer ; university = college | college ; exam = examination | examination
subjects = topics | topics ; film = movie | movie ; book = e-book | guide ; author = writer | creator
event = occasion | occasion ; events = occasions | occasions ; festival = competition | pageant
festival's = competition's | pageant's ; concert = live performance | live performance
fans = followers | followers ; game = recreation | sport ; games = video games | video games
team = group | crew ; teams = groups | groups ; players = gamers | gamers ; player = participant
club = membership | membership ; clubs = golf equipment | golf equipment ; goal = objective | purpose
goals = targets | objectives ; won = gained | received ; lost = misplaced | misplaced ; injury = harm | damage
manager = supervisor | supervisor ; tournament = match | event ; court = courtroom | court docket
lawyers = legal professionals | attorneys ; lawyer = legal professional | lawyer ; law = legislation | regulation
criminal = prison | legal ; cases = circumstances | instances ; judge = decide | choose
party = occasion | social gathering | get together ; parties = events | events ; leader = chief | chief
campaign = marketing campaign | marketing campaign ; planned = deliberate | deliberate
spokesman = spokesman | spokesperson ; statement = assertion | assertion ; warned = cautioned | warned
believe = consider | imagine ; think = suppose | assume ; thinking = considering | pondering
announced = introduced | introduced ; recent = current | latest ; recently = not too long ago | lately
latest = newest | newest ; today = at the moment | right now | in the present day ; really = actually | actually
same = identical | similar ; different = totally different | completely different ; number = quantity | variety
part = half | half ; times = occasions | instances ; way = manner | method ; ways = methods | methods
percent = % | p.c. ; thousands = 1000's | hundreds ; hundreds = a whole lot | lots of | tons of
millions = hundreds of thousands | tens of millions ; fire = hearth | fireplace ; heart = coronary heart | coronary heart
disease = illness | illness ; risk = threat | danger ; health = well being | well being
doctors = medical doctors | docs ; doctor = physician | physician ; patients = sufferers | sufferers
patient = affected person | affected person ; elderly = aged | aged ; young = younger | younger
older = older | aged ; close = shut | shut ; closed = closed | shut ; closing = closing | shutting
keep = maintain | preserve | hold ; stay = keep | keep | keep ; leave = depart | go away
want = need | wish to ; wanted = needed | wished to ; need = want | want ; needed = wanted | wanted
needs = wants | wants ; use = use | make use of | utilize ; used = used | utilized ; using = utilizing | utilizing
start = begin | begin ; started = began | began ; begin = start | start ; began = started | started
important = necessary | essential | vital ; major = main | main ; main = important | predominant | primary
high = excessive | excessive ; higher = larger | greater | increased ; lower = decrease | decrease
price = value | worth ; prices = costs | costs ; cost = value | price ; costs = prices | prices
money = cash | cash ; cash = money | money ; workers = employees | staff ; worker = employee | employee
staff = workers | employees ; shares = shares | stocks ; stock = inventory | inventory ; investors = traders | buyers
experts = specialists | consultants ; expert = professional | skilled ; study = research | examine
found = discovered | discovered | discovered ; find = discover | discover ; discovered = found | found
reports = reviews | stories ; published = printed | revealed | printed ; figures = numbers | figures
information = info | data ; details = particulars | particulars ; personal = private | private
customers = prospects | clients ; customer = buyer | client ; difficult = tough | troublesome
hard = arduous | laborious | onerous ; officials = officers | officers ; official = official | officer
quietly = quietly | silently ; crowd = crowd | group
travel = journey | journey ; trip = journey | journey ; community = group | neighborhood
green = inexperienced | inexperienced ; red = purple | crimson
sea = ocean | sea ; middle east = center east | center east ; united states = united states | america
supply = provide | provide
quite = fairly | fairly
~nearly = practically | almost ; ~around the world = around the globe | all over the world
released = launched | launched ; release = launch | launch
victim = sufferer | sufferer
evidence = proof | proof ; prison = jail | jail ; jail = jail | prison
murder = homicide | homicide ; guilty = responsible | responsible
decision = choice | choice ; ruled = dominated | dominated
appeal = enchantment | attraction ; fine = advantageous | high quality
powerful = highly effective | highly effective ; coast = coast | shore
study's = examine's | research's
global = world | international
space = house | area
team's = group's | crew's
exercise = train | train ; walking = strolling | strolling ; walk = stroll | stroll
active = lively | energetic ; diet = weight loss plan | food plan
memory = reminiscence | reminiscence ; death = demise | loss of life
waiting = ready | ready
crisis = disaster | disaster ; pressure = stress | strain
pain = ache | ache ; anxiety = nervousness | anxiousness
collection = assortment | assortment
display = show | show ; soldiers = troopers | troopers
war = struggle | warfare
funny = humorous | humorous
warm = heat | heat
theatre = theatre | theater ; programme = programme | program
performance = efficiency | efficiency ; hotels = lodges | resorts
restaurants = eating places | eating places ; rubbish = garbage | rubbish
traffic = site visitors | visitors ; visitors = guests | guests ; ordinary = odd | extraordinary
charges = expenses | fees
website = web site | web site
handle = deal with | deal with
hot = scorching | sizzling ; value = worth | worth ; warranty = guarantee | guarantee ; complaint = criticism | grievance
firm push = agency push | agency push ; reliable = dependable | dependable ; comfortable = comfy | snug
tests = assessments | exams
floors = flooring | flooring ; stuck = caught | caught
grow = develop | develop ; vegetables = greens | greens
beginners = inexperienced persons | novices
plants = vegetation | crops ; tyre = tire | tyre
remove = take away | take away ; lift = raise | carry ; hole = gap | gap
network = community | community
project = challenge | undertaking ; businesses along = companies alongside | companies alongside
transform = remodel | rework
offer = supply | supply ; pupils = pupils | college students
gap = hole | hole ; applications = functions | purposes
places = locations | locations
budget = funds | finances
figures = figures | numbers
result = end result | outcome
outcome = final result | end result ; balance = stability | steadiness ; stable = secure | steady
peaceful = peaceable | peaceable
cost of living = price of residing | value of dwelling
jewellery = jewelry | jewelry
neighbour = neighbour | neighbor
garden = backyard | backyard ; advice = recommendation | recommendation
goods = items | items
payments = funds | funds ; statement = assertion | assertion
scam = rip-off | rip-off ; genuine = real | real
gift card = reward card | present card ; targeted = focused | focused ; directly = instantly | straight
consumers = customers | shoppers ; details = particulars | particulars
terms = phrases | phrases ; autumn = autumn | fall
millions = thousands and thousands | thousands and thousands ; position = place | place
construction = building | development ; safety = security | security
industry = trade | business
murder = homicide | homicide ; robbery = theft | theft ; centre = centre | heart ; summer = summer season | summer time
money = cash | cash ; till = until | until
attack = assault | assault ; prison term = jail time period | jail time period
valuable = priceless | useful ; shortage = scarcity | scarcity
distress = misery | misery
supermarket = grocery store | grocery store
clothing = clothes | clothes ; goods = items | items ; everyday = on a regular basis | on a regular basis
items = objects | gadgets ; pressure = stress | strain
factory = manufacturing unit | manufacturing facility
investment = funding | funding ; generation = technology | era
guarantees = ensures | ensures ; secure = safe | safe
college = faculty | school ; courses = programs | programs
traders = merchants | merchants ; assets = belongings | property
fund manager = fund supervisor | fund supervisor
concerns = issues | considerations
reading = studying | studying
consumers = customers | shoppers
natural gas = pure fuel | pure gasoline ; mild = gentle | delicate
duty = obligation | responsibility
switch = change | swap
home side = dwelling aspect | residence facet ; side = aspect | facet ; visitors = guests | guests
box = field | field ; ground = floor | floor
sets = units | units
treatment = remedy | therapy ; net = internet | web
organisers = organisers | organizers
training = coaching | coaching
cold = chilly | chilly ; illness = sickness | sickness
"""


WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def parse(text):
    table, function = {}, set()
    for entry in re.split(r"[;\n]", text):
        if "=" not in entry:
            continue
        src, dst = entry.split("=", 1)
        src = src.strip().lower()
        if src.startswith("~"):
            src = src[1:].strip()
            function.add(src)
        choices = [c.strip() for c in dst.split("|")]
        choices = [c for c in choices if c and c.lower() != src]
        if choices and src not in table:
            table[src] = choices
    return table, function


TABLE, FUNCTION = parse(HABITS)
MAXLEN = max(len(k.split()) for k in TABLE)


def recase(word, like):
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def spin_sentence(line, rng, rate, first_only):
    """Spins one line; returns the new line."""
    words = [(m.start(), m.end()) for m in WORD.finditer(line)]
    out, pos, i = [], 0, 0
    while i < len(words):
        done = False
        for n in range(min(MAXLEN, len(words) - i), 0, -1):
            # a phrase must be words separated by single spaces
            s, e = words[i][0], words[i + n - 1][1]
            text = line[s:e]
            if n > 1 and not re.fullmatch(r"[A-Za-z'-]+( [A-Za-z'-]+)*", text):
                continue
            key, poss = text.lower(), ""
            if key not in TABLE and key.endswith("'s") and key[:-2] in TABLE:
                key, poss = key[:-2], "'s"
            if key not in TABLE:
                continue
            weight = 0.3 if key in FUNCTION else 1.0
            if key in ("in", "as"):
                weight = 0.06
            if rng.random() >= rate * weight:
                break
            choices = TABLE[key]
            pick = choices[0] if first_only else rng.choice(choices)
            out.append(line[pos:s])
            out.append(recase(pick, text) + poss)
            pos, i, done = e, i + n, True
            break
        if not done:
            i += 1
    out.append(line[pos:])
    return "".join(out)


def spin_file(path_in, path_out):
    name = os.path.basename(path_in)
    rng = random.Random(name)
    rate = min(0.95, rng.uniform(0.15, 0.40) * 3.0)  # the table covers about a third of the words
    first_only = rng.random() < 0.5
    lines = []
    with open(path_in, encoding="utf-8") as f:
        for line in f.read().splitlines():
            lines.append(line if rng.random() < 0.08 else spin_sentence(line, rng, rate, first_only))
    with open(path_out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(d)):
        if name.endswith(".orig.txt"):
            spin_file(os.path.join(d, name), os.path.join(d, name[: -len(".orig.txt")] + ".spun.txt"))


if __name__ == "__main__":
    main()
