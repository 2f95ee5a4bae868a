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
Documents 28 on (the scientific genre) are spun with a second edition of the
thesaurus that adds the vocabulary of scientific papers (SCIENCE below).
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

# The thesaurus's second edition: the vocabulary of scientific papers, for
# the scientific genre (documents 28 on), as the spinners paper mills use
# render it, sense-blind: the first synonym of a general thesaurus
# ("deep" -> "profound", "random forest" -> "irregular woodland", "cancer"
# -> "most cancers", "algorithm" -> "set of rules") and the paraphrasers'
# favourites ("energy" -> "vitality", "network" -> "organization",
# "acid" -> "corrosive").  The form such tools give most often comes first
# and may be listed twice: a choice listed twice is drawn twice as often
# by a document that picks any.  A word the genre uses as a term of its
# own ("feature", "energy", "system") is not put in for another.  Where
# HABITS has a word too, this edition's choices replace HABITS's.
# Documents 01-27 were spun with HABITS alone and still are
# (EDITION1_LAST): an entry draws from the random stream wherever its word
# occurs, so consulting the new entries there would shift the later draws
# and rewrite those pairs.
SCIENCE = """
learning = getting to know | studying ; learn = study | get to know ; deep = profound
machine = device | gadget ; machines = gadgets | contraptions
artificial = counterfeit | counterfeit | man-made
intelligence = consciousness | consciousness | brainpower
network = organization | organization | community
networks = organizations | organizations | communities ; model = version
models = fashions | versions ; data = information | information | records
algorithm = calculation | calculation | set of rules
algorithms = calculations | calculations | sets of rules
random = irregular | irregular | arbitrary ; forest = woodland | woodland | backwoods
forests = woodlands ; random forest = irregular woodland | arbitrary woodland | random backwoods
feature = highlight | highlight | characteristic ; features = highlights | highlights | capabilities
classification = characterization | characterization | category
accuracy = exactness | exactness | precision ; precision = exactness ; recall = remember | review
performance = execution | execution | overall performance
training = preparing | preparing | education ; trained = educated | prepared | skilled
test = take a look at | check ; test set = take a look at set | check set
error = blunder | blunder | mistake ; decision = choice
decision tree = choice tree | selection tree ; trees = timber ; support = backing | backing | guide
support vector machine = guide vector device | backing vector machine | help vector machine
regression = relapse ; logistic = logistical | strategic ; clustering = grouping
optimal = ideal | most appropriate | optimum
optimization = improvement | improvement | streamlining ; loss = misfortune | misfortune | harm
function = work | work | characteristic ; functions = works | works | capacities
prediction = forecast | expectation ; predictions = forecasts | expectations
predict = expect | foresee | anticipate ; predicts = expects | foresees
predicted = expected | anticipated | foreseen ; image = picture | picture | photograph
images = pictures | pictures | photos ; processing = preparing | preparing | handling
image processing = picture processing | photograph handling | picture preparing
recognition = acknowledgment | acknowledgment | popularity
recognize = understand | perceive | apprehend ; speech = discourse
natural = herbal | characteristic | normal ; computer = pc | pc | laptop
vision = imaginative and prescient | sight
computer vision = laptop imaginative and prescient | pc vision | computer imaginative and prescient
hidden = concealed ; layer = stratum ; policy = coverage | strategy
validation = approval | affirmation ; gradient = slope | angle ; descent = plunge | decline
parameters = boundaries ; parameter = boundary ; search = seek | hunt
grid = lattice | lattice | matrix ; approach = methodology | strategy
approaches = methodologies | strategies ; method = strategy | strategy | procedure
methods = strategies | strategies | procedures ; technique = procedure | procedure | strategy
techniques = procedures | procedures | strategies ; framework = shape | skeleton
system = framework | framework | gadget ; systems = frameworks | frameworks | structures
robust = strong | sturdy | powerful ; missing = lacking ; mean = imply | average
continuous = non-stop | constant ; anomaly = abnormality | irregularity
detection = location | location | identification ; detect = stumble on | discover | identify
detects = identifies ; collected = accumulated | amassed | gathered ; apply = observe | practice
applied = implemented | carried out ; patterns = styles | examples ; traditional = conventional
extract = extricate ; extracted = extricated ; recurrent = intermittent | habitual
units = gadgets | items ; transfer = move | move | switch
transfer learning = switch getting to know | move learning | transfer studying
evaluated = assessed | appraised ; evaluate = assess | appraise ; evaluation = assessment
score = rating ; samples = examples | tests ; sample = pattern | specimen ; labels = marks
labelled = labeled | marked ; nearest = closest
compared = in comparison | as compared | contrasted
compared with = in comparison with | compared to | contrasted with
achieved = accomplished | executed ; achieves = accomplishes | attains
ensemble = gathering | troupe ; minimize = limit | reduce | decrease ; tuned = tweaked | adjusted
combines = consolidates | merges ; real time = actual time ; real-time = actual-time
noisy = loud | boisterous ; environments = conditions | surroundings
environment = surroundings | climate ; genetic = hereditary ; particle = molecule
swarm = multitude ; approximate = estimated ; hidden units = concealed units ; binary = double
continuous function = non-stop characteristic ; memory = reminiscence
short-term = brief-time period | momentary ; big = colossal | colossal | enormous
big data = huge information | colossal information | enormous information
cancer = malignant growth | malignant growth | most cancers ; breast = bosom
breast cancer = breast most cancers | bosom cancer | bosom malignant growth
lung cancer = lung most cancers | lung malignant growth ; common = not unusual | commonplace
treated = dealt with | handled ; therapy = remedy | treatment ; randomized = randomised
controlled = managed | regulated ; control = manage | direct ; clinical = scientific | analytical
conducted = performed | directed ; assess = check | gauge ; assessed = surveyed | checked
blood pressure = circulatory strain | blood strain ; prevalence = occurrence | predominance
type = kind | sort ; population = populace ; chronic = persistent | continual | constant
failure = disappointment ; heart failure = coronary heart failure | heart disappointment
factor = aspect | issue ; risk factor = hazard factor | danger factor | chance aspect
diagnosis = prognosis | determination ; challenge = undertaking | task
vaccine = antibody | immunization ; induced = brought on | caused
immune = insusceptible | resistant ; immune system = insusceptible framework | immune gadget
response = reaction | reply ; healthy = wholesome | sound ; adults = grown-ups
headache = migraine | cerebral pain ; fatigue = weariness | exhaustion
side effects = side outcomes | aspect effects | side results ; obesity = weight problems | heftiness
known = recognised | regarded ; removed = eliminated | taken out
surgery = surgical operation | medical procedure ; mortality = death rate
significantly = drastically | fundamentally ; significant = vast | critical
intervention = mediation ; group = institution | gathering ; exercised = worked out
regularly = frequently | consistently ; reported = suggested | said ; quality = pleasant | nature
life = lifestyles | existence
quality of life = first-class of existence | quality of lifestyles | nature of life
antibiotic = anti-infection ; resistance = obstruction | obstruction | opposition ; threat = danger
infection = contamination | contagion ; hygiene = cleanliness ; rules = guidelines | regulations
introduced = added | presented ; magnetic = attractive ; resonance = reverberation
magnetic resonance imaging = attractive reverberation imaging ; revealed = found out | uncovered
lesions = injuries | sores ; brain = mind ; stem = stalk
stem cells = undifferentiated cells | foundational microorganisms ; isolated = remoted | segregated
culture = lifestyle | way of life ; expression = articulation ; gene = quality
gene expression = quality articulation ; measured = estimated | gauged ; measurements = estimations
reaction = reply | answer ; drug = medication | medicine ; inflammation = irritation | swelling
depression = despair | misery ; standard = popular | trendy | wellknown ; questionnaire = survey
monitored = observed | tracked ; continuously = constantly | ceaselessly
sensitivity = affectability | sensitiveness ; specificity = explicitness ; benefit = advantage
supplements = dietary supplements | enhancements ; prevention = avoidance
fractures = breaks | fissures ; strongest = most powerful ; predictor = indicator
deaths = passings | fatalities ; survival = endurance ; transplant = relocate
incidence = occurrence | rate ; regions = areas | locales ; malignant = threatening | harmful
benign = harmless | innocuous ; distinguished = prominent | recognized
findings = discoveries | results ; suggest = endorse | propose ; physical = bodily | actual
activity = pastime | action ; physical activity = bodily pastime | physical action | actual activity
lowers = brings down | decreases ; weakly = feebly ; responded = replied | reacted
research = studies | exploration ; confirm = verify | affirm
disease = illness | infection | sickness ; diseases = illnesses | infections
vehicle = automobile | car ; strength = quality | quality | electricity
tensile = elastic | malleable
tensile strength = tensile electricity | malleable quality | elastic strength ; finite = limited
element = component | component | detail ; elements = components | components | details
finite element = finite detail | limited component | finite component ; stress = strain | tension
distribution = dissemination | circulation ; beam = shaft | bar ; heat = warmth
heat transfer = warmth switch | warmth move | heat switch ; flow = go with the flow | stream
renewable = sustainable
renewable energy = sustainable power source | renewable vitality | inexhaustible vitality
sources = assets | origins ; solar = sun based | sun based | sun
solar power = sunlight based force | sun power | solar electricity ; wind = breeze
intermittent = irregular | discontinuous ; design = layout | plan ; fuzzy = fluffy
logic = rationale | rationale | good judgment
fuzzy logic = fuzzy good judgment | fluffy rationale | fuzzy rationale ; controller = regulator
regulate = alter | adjust ; speed = velocity | pace ; motor = drive | mover
efficiency = productivity | productivity | proficiency ; panels = boards
dropped = declined | plunged ; degree = diploma | level
consumption = utilization | utilization | intake
energy consumption = vitality utilization | electricity intake | energy utilization
energy = vitality | vitality | electricity ; power = force ; smart = clever | keen
heating = warming ; management = the executives | the executives | administration
estimates = gauges | appraisals ; state = kingdom | condition ; charge = price
state of charge = kingdom of price | condition of charge | state of price
vibration = vibe | shaking ; placed = positioned | set ; concrete = cement
reached = arrived at | attained ; demand = call for | interest ; robot = robotic
simulation = reproduction ; simulations = reproductions ; agree = concur
experimental = exploratory | trial ; cracks = breaks | fissures ; edge = facet | side
holes = openings ; grew = developed ; loading = stacking ; load = burden | heap ; thermal = warm
thermal conductivity = warm conductivity ; insulation = padding | lining ; gas = fuel | gasoline
operates = works | works ; blades = edges ; optimized = streamlined | upgraded ; output = yield
fluid = liquid ; modeled = demonstrated | displayed ; computing = figuring | figuring | calculating
cloud computing = haze figuring | cloud figuring | cloud calculating ; dynamics = elements
computational fluid dynamics = computational liquid elements ; drop = decline ; full = complete
structural = underlying | primary ; monitoring = tracking | observing ; damage = harm
leads to = ends in | results in | prompts ; internal = inner ; combustion = ignition | burning
engine = motor | locomotive
internal combustion engine = inner combustion engine | internal ignition motor | inside burning engine
tested = examined | tried ; blend = combination | mix ; peak = top
emissions = discharges | outflows ; plant = flora | factory ; replaced = changed | supplanted
identified = recognized | diagnosed ; greatest = biggest | most noteworthy ; losses = misfortunes
soil = dirt | earth ; determine = decide | decide ; capacity = ability | limit
foundation = basis | establishment ; inspect = look into | examine ; surface = floor
steel = metallic ; synthesized = blended | integrated ; crystal = precious stone
structure = construction | construction | shape ; characterized = described | portrayed
scanning = filtering | checking ; size = length ; addition = expansion
improved = progressed | stepped forward ; properties = homes | houses
mechanical properties = mechanical homes ; corrosion = erosion | consumption ; coated = covered
solution = arrangement | answer ; acid = corrosive ; acids = corrosives
amino acids = amino corrosives ; acetic = acidic ; agents = retailers | specialists
catalyst = impetus ; converted = transformed | changed over ; separated = split | detached
liquid = watery | runny ; raised = accelerated | expanded ; degrees = tiers | levels
thin = skinny | slim ; films = movies ; thin films = skinny movies | slim films | thin movies
deposited = placed | laid ; chemical = synthetic | compound ; vapor = fume | steam
deposition = testimony
chemical vapor deposition = compound fume testimony | synthetic vapor deposition
activated = initiated | enacted ; square = rectangular ; stability = balance | steadiness
heavy = substantial | weighty ; metal = metallic ; waste = squander ; kinetic = active
conversion = transformation | change ; gap = hole ; material = fabric | cloth
materials = substances | substances ; decreased = reduced | diminished ; retained = held | kept
organic = herbal | biological ; solvent = dissolvable ; cast = forged | solid
confirmed = showed | affirmed ; presence = existence ; groups = agencies | gatherings
alloy = combination | compound ; melting = dissolving ; point = issue | spot ; wear = put on
composition = arrangement | piece ; determined = decided | resolved
analysis = examination | examination | investigation
bacteria = microorganisms | microscopic organisms ; strains = lines | stresses
molecular = sub-atomic | atomic ; diffusion = dissemination | dispersion ; membrane = film | sheet
decomposition = deterioration | disintegration ; occurred = passed off | happened
stages = ranges | levels ; indicate = imply | show ; candidate = applicant
storage = stockpiling | stockpiling | garage
energy storage = vitality stockpiling | energy garage | electricity storage ; density = thickness
functional = practical | useful ; theory = principle | hypothesis
density functional theory = density functional principle | thickness practical hypothesis
calculate = ascertain | work out ; electronic = electric | automated
wireless = remote | remote | wi-fi ; widely = extensively | broadly ; monitor = reveal | display
signal = sign | sign | flag ; signals = signs | alerts ; noise = commotion | clamor
ratio = proportion ; signal to noise = sign to noise | signal to clamor | flag to commotion
sensor networks = sensor organizations | sensor communities
wireless sensor networks = wi-fi sensor networks | remote sensor organizations | wireless sensor communities
receiver = collector | recipient ; antenna = receiving wire | aerial
efficient = green | productive
energy-efficient = energy-green | power-efficient | vitality efficient ; routing = directing
protocol = convention ; protocols = conventions ; mobile = versatile | versatile | cell
ad hoc = advert hoc | specially appointed ; bit = piece ; modulation = balance | tweak
schemes = plans ; scheme = plan | conspiracy ; users = customers | clients ; user = person | client
access = get right of entry to | get admission to ; resources = assets | means
internet = net | web ; things = matters | items
internet of things = net of things | web of things | internet of matters
connects = interfaces | links ; devices = gadgets | gadgets ; device = tool | gadget
captured = caught | seized ; analyzed = examined | broke down ; intrusions = interruptions
increases = will increase | expands ; packet = parcel | bundle ; packets = parcels | bundles
packet loss = parcel misfortune | bundle loss ; digital = virtual | computerized
filter = clear out | channel ; adapt = adjust | adjust ; input = info | enter
service = carrier | administration
quality of service = first-class of carrier | nature of administration
guaranteed = assured | ensured ; priority = need | precedence ; node = hub ; nodes = hubs
forwards = advances ; delay = put off | postponement ; existing = present | current
depends on = relies upon | relies upon ; bandwidth = transmission capacity | band width
removes = gets rid of | eliminates ; components = additives | parts ; component = part | segment
large-scale = enormous scope ; blackouts = outages | shutdowns ; privacy = privateness | protection
fast = speedy | quick ; compute = figure | work out ; frequency = recurrence ; spectrum = range
latency = dormancy | inertness ; ~near = close to | close ; cellular = cell
maximize = boost | augment ; coverage = insurance | inclusion
database = information base | records ; spread = unfold ; defined = described | outlined
networking = systems administration | organizing ; separates = isolates ; plane = aircraft
chosen = picked | selected ; remaining = leftover | final | last ; sampled = tasted | tried
divided = split | partitioned ; short = brief ; frames = casings
technology = generation | innovation ; transactions = exchanges ; central = principal | focal
symbols = signs | emblems ; shared = joint | mutual ; collisions = crashes
climate = local weather | environment
climate change = climate trade | local weather change | environmental change ; droughts = dry spells
greenhouse = nursery ; greenhouse gas = greenhouse fuel | nursery gas
agriculture = horticulture | cultivation ; estimated = anticipated | predicted ; global = worldwide
global warming = worldwide warming | an earth-wide temperature boost | international warming
threatens = undermines ; habitats = living spaces | territories ; sampling = inspecting | testing
sites = websites | destinations ; concentrations = fixations | focuses
exceeded = passed | surpassed ; permitted = authorized | allowed ; limits = cutoff points
mapped = planned ; pollution = contamination ; linked = connected | related
admissions = confirmations ; fossil fuels = petroleum products | fossil powers
consumed = ate up | burned-through ; meet = satisfy | fulfill ; footprint = impression
carbon footprint = carbon impression ; product = item ; calculated = computed | reckoned
rainfall = precipitation ; obtained = received | acquired ; amount = quantity | measure
stored = saved | put away ; sea level = sea stage | ocean level ; average = common | normal
erosion = disintegration ; slopes = inclines ; vegetation = flora | greenery ; cover = cowl
policies = guidelines | strategies ; slowing = easing back
ecosystem = surroundings | biological system ; recovered = recuperated
slowly = gradually | leisurely ; fell = declined | plunged ; sharply = pointedly | steeply
remote = far off | distant ; sensing = detecting
remote sensing = far off sensing | distant detecting ; crop = harvest ; crop yield = harvest yield
farming = cultivating ; volume = extent | quantity ; ocean = sea ; harms = hurts
recycling = reusing ; differed = varied | contrasted ; urban = city | metropolitan
rural = provincial ; households = families ; sustainable = reasonable | feasible
development = improvement | advancement
sustainable development = sustainable improvement | reasonable turn of events | feasible development
requires = calls for ; environmental = ecological | green ; protection = safety | insurance
peaked = topped ; highlight = spotlight | emphasize ; arid = dry ; presents = affords | introduces
based on = based totally on | primarily based on ; improve = enhance | further develop
experiments = tests ; observed = noticed | seen ; investigated = researched | explored
considerably = substantially | extensively ; critical = crucial | basic
increasingly = more and more | progressively ; behavior = conduct ; amounts = quantities | sums
allows = permits | lets ; allow = permit ; topics = subjects | themes
explain = provide an explanation for | clarify ; formulated = detailed
outperforming = beating | surpassing ; outperforms = beats | surpasses
error rate = mistakes fee | blunder rate ; bit error rate = bit mistakes fee | bit blunder rate
mean squared error = imply squared errors | mean squared blunder | mean squared mistake
machine learning = device getting to know | machine studying | gadget learning ; cloud = haze | mist
pressure = pressing factor | strain ; medical = clinical | therapeutic ; cluster = bunch | gathering
deviation = departure | divergence ; series = arrangement | sequence
time series = time arrangement | time collection
face recognition = face acknowledgment | face reputation ; sentiment = feeling | opinion
sentiment analysis = feeling examination | opinion evaluation | sentiment investigation
social media = web-based media | online media ; heart attack = coronary failure | heart assault
absolute = outright | total ; value = esteem | worth ; values = esteems | qualities
"""
EDITION1_LAST = 27


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


def merge(first, more):
    """The entries of two editions: more's replace first's where both have a word."""
    table = dict(first[0])
    table.update(more[0])
    return table, first[1] | more[1]


TABLE, FUNCTION = parse(HABITS)
MAXLEN = max(len(k.split()) for k in TABLE)
TABLE2, FUNCTION2 = merge((TABLE, FUNCTION), parse(SCIENCE))
MAXLEN2 = max(len(k.split()) for k in TABLE2)


def edition(name):
    """The thesaurus a document is spun with: (table, function words, longest key)."""
    m = re.match(r"(\d+)_", name)
    if m and int(m.group(1)) <= EDITION1_LAST:
        return TABLE, FUNCTION, MAXLEN
    return TABLE2, FUNCTION2, MAXLEN2


def recase(word, like):
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def spin_sentence(line, rng, rate, first_only, book=(TABLE, FUNCTION, MAXLEN)):
    """Spins one line with the thesaurus book (an edition()); returns the new line."""
    table, function, maxlen = book
    words = [(m.start(), m.end()) for m in WORD.finditer(line)]
    out, pos, i = [], 0, 0
    while i < len(words):
        done = False
        for n in range(min(maxlen, len(words) - i), 0, -1):
            # a phrase must be words separated by single spaces
            s, e = words[i][0], words[i + n - 1][1]
            text = line[s:e]
            if n > 1 and not re.fullmatch(r"[A-Za-z'-]+( [A-Za-z'-]+)*", text):
                continue
            key, poss = text.lower(), ""
            if key not in table and key.endswith("'s") and key[:-2] in table:
                key, poss = key[:-2], "'s"
            if key not in table:
                continue
            weight = 0.3 if key in function else 1.0
            if key in ("in", "as"):
                weight = 0.06
            if rng.random() >= rate * weight:
                break
            choices = table[key]
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
    book = edition(name)
    lines = []
    with open(path_in, encoding="utf-8") as f:
        for line in f.read().splitlines():
            lines.append(line if rng.random() < 0.08 else spin_sentence(line, rng, rate, first_only, book))
    with open(path_out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(d)):
        if name.endswith(".orig.txt"):
            spin_file(os.path.join(d, name), os.path.join(d, name[: -len(".orig.txt")] + ".spun.txt"))


if __name__ == "__main__":
    main()
