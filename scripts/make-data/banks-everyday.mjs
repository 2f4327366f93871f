// Hand-written everyday-advice and fact banks for the general generator.

// [activity, tips...]
export const TIPS = [
  ['sleeping better', 'Keep the same wake-up time every day, including weekends.', 'Get some daylight within an hour of waking.', 'Avoid caffeine after early afternoon.', 'Keep the bedroom cool, dark and quiet.', 'Put screens away half an hour before bed.', 'If you cannot fall asleep after twenty minutes, get up and read until you feel drowsy.'],
  ['learning a new language', 'Practise a little every day rather than a lot once a week.', 'Learn the most common words first.', 'Listen to podcasts or shows at a level slightly above yours.', 'Speak out loud early, even if you make mistakes.', 'Use spaced-repetition flashcards for vocabulary.', 'Find a conversation partner for regular practice.'],
  ['saving money on groceries', 'Plan meals for the week and shop from a list.', 'Compare unit prices rather than package prices.', 'Buy store brands for staples.', 'Cook larger batches and freeze portions.', 'Shop after eating so you are not tempted by snacks.', 'Check what you already have before you go.'],
  ['running a first 5K', 'Start with a run-walk plan and build up gradually.', 'Invest in shoes that fit well.', 'Run at a pace where you can still hold a conversation.', 'Add one rest day between runs at first.', 'Warm up with five minutes of brisk walking.', 'Do not try anything new on race day.'],
  ['keeping houseplants alive', 'Check the light needs of each plant before choosing a spot.', 'Water when the top few centimetres of soil are dry, not on a fixed schedule.', 'Use pots with drainage holes.', 'Wipe dust off the leaves now and then.', 'Feed lightly during spring and summer only.', 'Watch for yellow leaves, which often signal overwatering.'],
  ['working from home', 'Keep a dedicated workspace, even if it is a corner of a table.', 'Start and finish at consistent times.', 'Take a short walk at lunch.', 'Turn off non-urgent notifications during focused work.', 'Write down your top three tasks each morning.', 'Schedule brief check-ins with colleagues to stay connected.'],
  ['public speaking', 'Know your opening lines by heart.', 'Practise out loud, ideally in front of a friend.', 'Slow down; nerves make most people talk too fast.', 'Use pauses instead of filler words.', 'Make eye contact with a few friendly faces.', 'Keep slides simple, with one idea each.'],
  ['studying for exams', 'Test yourself instead of just rereading notes.', 'Spread study sessions over several days.', 'Mix different topics in one session.', 'Explain the material aloud as if teaching someone.', 'Sleep well the night before.', 'Do past papers under timed conditions.'],
  ['reducing screen time', 'Turn on grayscale mode in the evening.', 'Move distracting apps off the home screen.', 'Charge your phone outside the bedroom.', 'Set app timers for social media.', 'Replace scrolling with a short walk or a book.', 'Keep meals phone-free.'],
  ['writing a CV', 'Put the most relevant experience first.', 'Use numbers to show results where possible.', 'Keep it to one or two pages.', 'Tailor it to each job description.', 'Use a clean, consistent layout.', 'Proofread it, then ask someone else to proofread it too.'],
  ['cooking rice', 'Rinse the rice until the water runs mostly clear.', 'Use the right ratio of water for your variety.', 'Let it rest covered for ten minutes after cooking.', 'Fluff it with a fork rather than stirring.', 'Add a pinch of salt to the water.', 'Do not lift the lid while it simmers.'],
  ['staying focused', 'Work in blocks of 25 to 50 minutes with short breaks.', 'Close tabs you do not need.', 'Decide the very next action before you start.', 'Keep water nearby so you do not wander off.', 'Put your phone in another room.', 'Tackle the hardest task when your energy is highest.'],
  ['travelling light', 'Pick a colour scheme so every item matches.', 'Pack for a week even on longer trips and plan to do laundry.', 'Wear your bulkiest shoes on the plane.', 'Use packing cubes to compress clothes.', 'Bring travel-size toiletries or buy them there.', 'Leave the just-in-case items at home.'],
  ['making friends in a new city', 'Join a club built around a hobby you enjoy.', 'Say yes to invitations for the first few months.', 'Volunteer for a local cause.', 'Become a regular at one café or gym.', 'Follow up with people you meet within a week.', 'Host a small, low-effort get-together.'],
  ['brewing better coffee at home', 'Buy whole beans and grind them just before brewing.', 'Use water just off the boil.', 'Weigh coffee and water rather than using scoops.', 'Store beans in an airtight container away from light.', 'Clean your equipment regularly.', 'Experiment with grind size one step at a time.'],
  ['starting to meditate', 'Begin with five minutes a day.', 'Sit comfortably; you do not need to sit cross-legged.', 'Focus on the feeling of your breath.', 'When your mind wanders, gently bring it back without judging.', 'Practise at the same time each day.', 'Try a guided session if silence feels hard.'],
];

// [phrase, {lang: translation}]
export const PHRASES = [
  ['Good morning', { French: 'Bonjour', Spanish: 'Buenos días', German: 'Guten Morgen', Japanese: 'おはようございます', Chinese: '早上好', Korean: '좋은 아침입니다' }],
  ['Thank you very much', { French: 'Merci beaucoup', Spanish: 'Muchas gracias', German: 'Vielen Dank', Japanese: 'どうもありがとうございます', Chinese: '非常感谢', Korean: '정말 감사합니다' }],
  ['Where is the train station?', { French: 'Où est la gare ?', Spanish: '¿Dónde está la estación de tren?', German: 'Wo ist der Bahnhof?', Japanese: '駅はどこですか？', Chinese: '火车站在哪里？', Korean: '기차역이 어디에 있어요?' }],
  ['How much does this cost?', { French: 'Combien ça coûte ?', Spanish: '¿Cuánto cuesta esto?', German: 'Wie viel kostet das?', Japanese: 'これはいくらですか？', Chinese: '这个多少钱？', Korean: '이거 얼마예요?' }],
  ['I would like a coffee, please', { French: 'Je voudrais un café, s\'il vous plaît', Spanish: 'Quisiera un café, por favor', German: 'Ich hätte gern einen Kaffee, bitte', Japanese: 'コーヒーをお願いします', Chinese: '请给我一杯咖啡', Korean: '커피 한 잔 주세요' }],
  ['Nice to meet you', { French: 'Enchanté', Spanish: 'Mucho gusto', German: 'Freut mich', Japanese: 'はじめまして', Chinese: '很高兴认识你', Korean: '만나서 반갑습니다' }],
  ['I do not understand', { French: 'Je ne comprends pas', Spanish: 'No entiendo', German: 'Ich verstehe nicht', Japanese: 'わかりません', Chinese: '我不明白', Korean: '이해가 안 돼요' }],
  ['The bill, please', { French: 'L\'addition, s\'il vous plaît', Spanish: 'La cuenta, por favor', German: 'Die Rechnung, bitte', Japanese: 'お会計をお願いします', Chinese: '请结账', Korean: '계산서 주세요' }],
  ['See you tomorrow', { French: 'À demain', Spanish: 'Hasta mañana', German: 'Bis morgen', Japanese: 'また明日', Chinese: '明天见', Korean: '내일 봐요' }],
  ['Happy birthday', { French: 'Joyeux anniversaire', Spanish: 'Feliz cumpleaños', German: 'Alles Gute zum Geburtstag', Japanese: 'お誕生日おめでとうございます', Chinese: '生日快乐', Korean: '생일 축하합니다' }],
  ['Excuse me', { French: 'Excusez-moi', Spanish: 'Disculpe', German: 'Entschuldigung', Japanese: 'すみません', Chinese: '打扰一下', Korean: '실례합니다' }],
  ['Do you speak English?', { French: 'Parlez-vous anglais ?', Spanish: '¿Habla inglés?', German: 'Sprechen Sie Englisch?', Japanese: '英語を話せますか？', Chinese: '你会说英语吗？', Korean: '영어 할 줄 아세요?' }],
];

// [sentence with mistakes, corrected sentence, short note]
export const GRAMMAR = [
  ['Their going to the park tomorrow if it dont rain.', 'They\'re going to the park tomorrow if it doesn\'t rain.', '"Their" should be the contraction "they\'re", and "it dont" needs "doesn\'t".'],
  ['Me and him was late for the meeting.', 'He and I were late for the meeting.', 'Use subject pronouns ("he and I") and the plural verb "were".'],
  ['The team have finished there report yesterday.', 'The team finished their report yesterday.', '"Yesterday" calls for the simple past, and "there" should be "their".'],
  ['Each of the students have a locker.', 'Each of the students has a locker.', '"Each" is singular, so the verb is "has".'],
  ['I could of helped if you asked me.', 'I could have helped if you had asked me.', '"Could of" is a mishearing of "could have", and the condition needs the past perfect.'],
  ['Its been a long time since we seen each other.', 'It\'s been a long time since we saw each other.', '"It\'s" is the contraction of "it has", and "seen" should be "saw".'],
  ['She dont know where the keys is.', 'She doesn\'t know where the keys are.', 'Third person singular takes "doesn\'t", and "keys" is plural.'],
  ['Less people came to the event then we expected.', 'Fewer people came to the event than we expected.', 'Use "fewer" for countable things and "than" for comparisons.'],
  ['Who\'s book is this on the table.', 'Whose book is this on the table?', '"Whose" shows possession, and a question ends with a question mark.'],
  ['Between you and I, the plan wont work.', 'Between you and me, the plan won\'t work.', 'After a preposition use the object pronoun "me"; "won\'t" needs an apostrophe.'],
  ['The data shows that sales has increased alot.', 'The data shows that sales have increased a lot.', '"Sales" is plural, and "a lot" is two words.'],
  ['Irregardless of the weather, we going hiking.', 'Regardless of the weather, we are going hiking.', '"Regardless" is the standard form, and the verb phrase needs "are".'],
  ['He runned to the store and buyed some milk.', 'He ran to the store and bought some milk.', '"Run" and "buy" are irregular: the past forms are "ran" and "bought".'],
  ['The childrens toys was everywhere.', 'The children\'s toys were everywhere.', '"Children" is already plural, so the possessive is "children\'s", and "toys" takes "were".'],
];

// [country, capital, fact]
export const COUNTRIES = [
  ['Canada', 'Ottawa', 'It sits on the Ottawa River on the border between Ontario and Quebec.'],
  ['Australia', 'Canberra', 'It was purpose-built as a compromise between Sydney and Melbourne.'],
  ['Brazil', 'Brasília', 'It was built from scratch and inaugurated in 1960.'],
  ['Turkey', 'Ankara', 'Istanbul is larger, but Ankara has been the capital since 1923.'],
  ['New Zealand', 'Wellington', 'It is known as one of the windiest cities in the world.'],
  ['Switzerland', 'Bern', 'Officially it is called the federal city rather than the capital.'],
  ['Kenya', 'Nairobi', 'Nairobi National Park lies just outside the city centre.'],
  ['Morocco', 'Rabat', 'Many people guess Casablanca or Marrakesh, but Rabat is the seat of government.'],
  ['Vietnam', 'Hanoi', 'Ho Chi Minh City in the south is larger by population.'],
  ['Nigeria', 'Abuja', 'It replaced Lagos as the capital in 1991.'],
  ['Peru', 'Lima', 'It lies on the Pacific coast and rarely sees real rain.'],
  ['Norway', 'Oslo', 'It sits at the head of the Oslofjord.'],
  ['South Korea', 'Seoul', 'About half of the country\'s population lives in the greater Seoul area.'],
  ['Japan', 'Tokyo', 'The greater Tokyo area is one of the most populous metropolitan areas on Earth.'],
  ['Egypt', 'Cairo', 'It lies on the Nile, a short drive from the pyramids of Giza.'],
  ['Argentina', 'Buenos Aires', 'It is famous for tango and its wide avenues.'],
  ['Pakistan', 'Islamabad', 'It was planned in the 1960s to replace Karachi.'],
  ['Finland', 'Helsinki', 'It is known for its seaside setting and public saunas.'],
  ['Chile', 'Santiago', 'The Andes are visible from the city on clear days.'],
  ['Portugal', 'Lisbon', 'It is one of the oldest cities in western Europe.'],
  ['Mongolia', 'Ulaanbaatar', 'It is often cited as the coldest national capital.'],
  ['Ghana', 'Accra', 'It lies on the Gulf of Guinea.'],
  ['Ireland', 'Dublin', 'The River Liffey runs through the centre.'],
  ['Thailand', 'Bangkok', 'Its full ceremonial name is one of the longest place names in the world.'],
];

// [city, attractions...]
export const CITIES = [
  ['Lisbon', 'ride tram 28 through the Alfama district', 'visit the Belém Tower and try a custard tart nearby', 'watch the sunset from a miradouro', 'take a day trip to Sintra', 'explore the LX Factory', 'listen to fado in a small restaurant'],
  ['Kyoto', 'walk through the torii gates at Fushimi Inari early in the morning', 'visit Kinkaku-ji, the Golden Pavilion', 'stroll through the Arashiyama bamboo grove', 'explore Nishiki Market for snacks', 'wander the lanes of Gion in the evening', 'see the rock garden at Ryoan-ji'],
  ['Mexico City', 'explore the Zócalo and the Metropolitan Cathedral', 'spend a morning at the National Museum of Anthropology', 'take a boat in Xochimilco', 'visit the Frida Kahlo Museum in Coyoacán', 'walk through Chapultepec Park', 'eat tacos al pastor at a street stand'],
  ['Edinburgh', 'walk up to Edinburgh Castle', 'stroll down the Royal Mile', 'hike Arthur\'s Seat for the view', 'visit the National Museum of Scotland', 'explore Dean Village', 'spend an evening in the Grassmarket'],
  ['Istanbul', 'visit Hagia Sophia and the Blue Mosque', 'take a ferry across the Bosphorus', 'wander the Grand Bazaar', 'climb the Galata Tower', 'explore the Basilica Cistern', 'eat fish sandwiches by the Galata Bridge'],
  ['Vancouver', 'cycle the seawall around Stanley Park', 'visit Granville Island Public Market', 'cross the Capilano Suspension Bridge', 'take the ferry to Bowen Island', 'explore Gastown', 'go up Grouse Mountain'],
  ['Marrakesh', 'explore the souks of the medina', 'visit the Jardin Majorelle', 'see the Bahia Palace', 'spend an evening in Jemaa el-Fnaa', 'relax in a traditional hammam', 'take a day trip to the Atlas Mountains'],
  ['Seoul', 'visit Gyeongbokgung Palace', 'walk through Bukchon Hanok Village', 'eat street food at Gwangjang Market', 'hike up to N Seoul Tower', 'walk along the Cheonggyecheon stream', 'shop in Myeongdong'],
  ['Buenos Aires', 'walk through the colourful streets of La Boca', 'visit the Recoleta Cemetery', 'see a tango show in San Telmo', 'explore the Palermo parks', 'tour the Teatro Colón', 'eat at a traditional parrilla'],
  ['Copenhagen', 'walk along Nyhavn', 'visit Tivoli Gardens', 'cycle like a local across the city', 'explore Christiansborg Palace', 'see the design museum', 'take a canal boat tour'],
  ['Cape Town', 'take the cable car up Table Mountain', 'visit the penguins at Boulders Beach', 'drive to the Cape of Good Hope', 'explore the V&A Waterfront', 'walk around Bo-Kaap', 'visit Kirstenbosch Botanical Garden'],
  ['Hanoi', 'walk around Hoan Kiem Lake', 'explore the Old Quarter', 'visit the Temple of Literature', 'watch a water puppet show', 'try egg coffee', 'take a day trip to Ha Long Bay'],
];

export const PET_NAMES = {
  cat: ['Miso', 'Pixel', 'Juniper', 'Clementine', 'Biscuit', 'Nimbus', 'Pepper', 'Olive', 'Sable', 'Tofu'],
  dog: ['Maple', 'Bruno', 'Scout', 'Hazel', 'Ziggy', 'Waffles', 'Kona', 'Bear', 'Poppy', 'Rocket'],
  rabbit: ['Clover', 'Thumper', 'Mochi', 'Button', 'Dandelion', 'Nutmeg', 'Pebble', 'Willow', 'Hopscotch', 'Marble'],
  parrot: ['Kiwi', 'Mango', 'Captain', 'Echo', 'Sunny', 'Rio', 'Pickles', 'Zazu', 'Indigo', 'Jasper'],
  goldfish: ['Bubbles', 'Finn', 'Goldie', 'Nemo', 'Splash', 'Marigold', 'Koi Boy', 'Sushi', 'Ripple', 'Tangerine'],
};

export const FIRST_NAMES = ['Amara', 'Ben', 'Chen', 'Dana', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kavya', 'Liam', 'Maya', 'Nikolai', 'Olu', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe'];
export const LAST_NAMES = ['Adeyemi', 'Bauer', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Gupta', 'Hansen', 'Ibrahim', 'Jensen', 'Kowalski', 'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Varga', 'Williams', 'Yilmaz'];
export const WORDS = ['apple', 'harbor', 'velvet', 'quartz', 'lantern', 'meadow', 'cobalt', 'ember', 'falcon', 'glacier', 'hinge', 'ivory', 'jigsaw', 'kettle', 'lemon', 'mosaic', 'nectar', 'orbit', 'pepper', 'quiver', 'ribbon', 'saddle', 'timber', 'umbrella', 'violet', 'walnut', 'yonder', 'zephyr', 'basil', 'canyon', 'dune', 'fjord'];
