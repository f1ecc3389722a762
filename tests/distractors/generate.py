#!/usr/bin/env python3
"""Write near-miss distractor documents from the eval cases' own sources.

Every eval case's corpus is read (the case folders are given on the command
line; each has a case.json naming its corpus). Each distractor document takes a
run of paragraphs from one real source and keeps its sentence shapes, but it is
about something else:

- other subjects: every name (organisations, people, places, products, and
  the acronyms that stand for them) is replaced by an invented one, the same
  way throughout one document;
- other measures: measure words are swapped with a related one (revenue and
  profit, sales and costs, wins and losses, unemployment and inflation...);
- other periods: years move by one to three, quarters, halves and months move
  to another one;
- other values: every number moves by up to 10% (at its own precision), so
  many land on or near figures the notes state.

Some documents are unrelated filler text with figures of their own. Output is
deterministic for a given seed. Python 3 standard library only.

usage: generate.py --out DIR [--count N] [--seed S] CASE_DIR...
"""
import argparse
import json
import pathlib
import random
import re
import sys

# Words that are never names, even when capitalised mid-sentence: function
# words, calendar words, titles, and the measure and heading words that notes
# and tables capitalise. A name missed here would leave a real subject in a
# distractor with a changed figure, which is a real conflict, not a near miss;
# a common word caught as a name only makes a distractor less alike.
STOP = set(
    """
a an the and or but nor if then than that this these those there their they them
he she it its his her we our us you your i me my mine who whom whose which what
when where why how all any both each few more most other some such no not only
own same so too very can will just should now also after before over under up
down out off on in at by for from of to with without about into onto per via as
is are was were be been being has have had do does did says said say new one two
three four five six seven eight nine ten first second third fourth fifth last next
january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
thursday friday saturday sunday today yesterday tomorrow year years quarter
quarters month months week weeks day days mr mrs ms dr prof inc corp co ltd llc
plc sa ag nv group company companies holdings chief executive officer financial
operating president chairman analyst analysts session moderator question
questions answer audience member thanks thank good yes sure well let okay
revenue revenues sales profit profits income earnings margin margins costs cost
price prices shares share stock dividend dividends growth rate rates inflation
unemployment employment jobs wages pay output gdp cpi eps ebitda orders backlog
segment segments highlights outlook guidance results result quotes quote market
markets policy admin notes note todo review season points wins losses draws goals
attendance transfers league table change energy services goods food tax debt cash
flow free total net gross adjusted organic core main primary secondary safety
endpoint endpoints background methods conclusions funding release date next
revisions fourth-quarter full-year capital return record champions numbers title
north south east west northern southern eastern western central new old great
eleven twelve twenty thirty forty fifty sixty seventy eighty ninety hundred
thousand million billion trillion dozen half
""".split()
)

# Acronyms that name a measure or a standard, not a subject: they stay.
KEEP_ACRONYMS = set(
    """GDP CPI EPS GAAP EBITDA RPO FX AI CEO CFO CI HR IQR ARR FCF NT NYSE NASDAQ
    LSEG ISO P&L Q A AM PM US USD EUR GBP CNY NOK bp""".split()
)

# Measure words and the word a distractor says instead; each pair both ways.
MEASURE_PAIRS = [
    ("revenue", "profit"), ("revenues", "profits"), ("sales", "costs"),
    ("earnings", "expenses"), ("income", "spending"), ("margin", "yield"),
    ("dividend", "coupon"), ("orders", "shipments"), ("backlog", "inventory"),
    ("unemployment", "inflation"), ("employment", "participation"),
    ("wages", "rents"), ("pay", "prices"), ("exports", "imports"),
    ("wins", "losses"), ("draws", "defeats"), ("goals", "assists"),
    ("points", "shots"), ("attendance", "turnover"), ("crowd", "payroll"),
    ("patients", "participants"), ("death", "stroke"),
    ("hospitalisation", "readmission"), ("hospitalization", "readmission"),
    ("weight", "cholesterol"), ("employees", "contractors"), ("staff", "members"),
    ("users", "subscribers"), ("customers", "suppliers"), ("capex", "opex"),
    ("debt", "cash"), ("buyback", "acquisition"), ("output", "demand"),
    ("production", "consumption"), ("vacancies", "redundancies"),
    ("construction", "retail"), ("services", "manufacturing"),
    ("premium", "discount"), ("fine", "settlement"), ("stake", "holding"),
]
MEASURE_SWAP = {}
for a, b in MEASURE_PAIRS:
    MEASURE_SWAP.setdefault(a, b)
    MEASURE_SWAP.setdefault(b, a)

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]
MONTH_ABBR = {m[:3]: i for i, m in enumerate(MONTHS)}
MONTH_ABBR["Sept"] = 8
ORDINALS = ["first", "second", "third", "fourth"]
# Distractors are cut to about this many characters, like a short article.
MAX_CHARS = 2500

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
UNIT_SUFFIX = r"(?:bn|mn|m|k|b|pc|x|bp|p|mg|MW|GW|km|kg|st|nd|rd|th|s)?"
NUM_TOKEN = r"(?<![\w.,])" + NUMBER + UNIT_SUFFIX + r"(?!\w)"
TOKEN = re.compile(
    r"(?P<range>" + NUM_TOKEN
    + r"(?:\s*(?:%|per cent|billion|million|trillion|thousand))?\s*(?:to|–|-)\s*[$£€]?"
    + NUM_TOKEN + r")"
    r"|(?P<num>" + NUM_TOKEN + r")"
    r"|(?P<mixed>\b(?:\d+[^\W\d_]|[^\W\d_]+\d)\w*)"
    r"|(?P<word>[^\W\d_][\w'’]*)"
)
WORD = re.compile(r"[^\W\d_][\w'’]*")
QUOTATION = re.compile(r"(“[^”]*”|\"[^\"\n]*\")")
SYLLABLES = [
    "bra", "cor", "dal", "fen", "gri", "hal", "jor", "kel", "lum", "mar", "nev",
    "osk", "pra", "qui", "ros", "sel", "tav", "umb", "vor", "wen", "yst", "zan",
    "bel", "cat", "dro", "eth", "fal", "gor", "hes", "ilm", "kav", "lor", "mes",
    "nor", "pil", "rav", "sto", "tem", "val", "wis",
]
ENDINGS = ["a", "on", "ex", "ia", "ar", "is", "el", "o", "um", "en", "ix", "or"]

FILLER = [
    "The {place} allotment society harvested {n} kilograms of beans this summer, "
    "about {p}% more than the year before, and will meet on {d} {month} to plan "
    "the spring beds.",
    "A slow-cooked stew for {n} people needs roughly {m} grams of onions, two "
    "bay leaves and {h} hours in a low oven; leftovers keep for {d} days.",
    "The hiking club's autumn walk covered {n} kilometres with {m} metres of "
    "climbing; {p} members took part, and the weather held until the last hour.",
    "Rainfall at the {place} gauge reached {n} millimetres in the wet season, "
    "while the reservoir stood at {p}% of capacity at the end of {month}.",
    "The choir rehearses every {weekday} at {h} o'clock and will sing {n} pieces "
    "at the {month} concert, which lasts about {m} minutes.",
    "Our reading group finished a {n}-page novel in {d} weeks; {p} of us liked "
    "the ending, and the next book is shorter.",
]


def invented_word(rng, taken, used=None):
    """A made-up name that no source uses (nor, given `used`, this document)."""
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
        word = (word + rng.choice(ENDINGS)).capitalize()
        if word.lower() not in taken and (used is None or word.lower() not in used):
            if used is not None:
                used.add(word.lower())
            return word


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return text[end + 4 :].lstrip("\n")
    return text


def case_corpus(case):
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    return (case / spec["corpus"]).resolve()


def corpus_files(corpus):
    if corpus.is_file():
        return [corpus]
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix in {".txt", ".md", ".markdown"}
        and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    )


def base(token):
    return re.sub(r"['’]s?$", "", token)


def is_name_like(word):
    """Letters only (labels such as Q4 or FY2025 are periods), and not a
    common, measure or acronym word that stays."""
    return (
        re.fullmatch(r"[^\W\d_]+(?:['’][^\W\d_]+)*", word) is not None
        and word not in STOP
        and word not in MEASURE_SWAP
        and word.upper() not in KEEP_ACRONYMS
    )


def learn_names(texts, heading_words):
    """The words that name subjects: words that are only ever written
    capitalised (so the title-case headlines and menus of real articles do not
    turn common words into names), plus the distinctive words of the notes'
    headings (drug and product names are often written in lower case)."""
    lower_seen, capitalised = set(), set()
    for text in texts:
        for m in WORD.finditer(text):
            tok = base(m.group())
            (lower_seen if tok[:1].islower() else capitalised).add(tok.lower())
    names = {w for w in capitalised - lower_seen if is_name_like(w)}
    for word in heading_words:
        if is_name_like(word):
            names.add(word)
    return names


def note_heading_words(case, corpus_vocab_by_case):
    """Words of a case's note title and headings that no other case's corpus
    uses: those are its subjects' names."""
    words = set()
    others = set()
    for other, vocab in corpus_vocab_by_case.items():
        if other != case:
            others |= vocab
    for note in case.glob("*.md"):
        for line in note.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                for m in WORD.finditer(line):
                    w = base(m.group()).lower()
                    if w not in others:
                        words.add(w)
    return words


class Rewriter:
    """Rewrites one document with one consistent choice of other subjects,
    measures and periods."""

    def __init__(self, rng, names, taken):
        self.rng = rng
        self.names = names
        self.taken = taken
        self.mapping = {}
        self.used = set()
        self.year_shift = rng.choice([-3, -2, -1, 1, 2, 3])
        self.month_shift = rng.randint(1, 11)
        self.quarter_shift = rng.randint(1, 3)
        self.swap_measures = rng.random() < 0.6

    def name(self, word):
        key = word.lower()
        if key not in self.mapping:
            if word.isupper() and len(word) > 1:
                while True:
                    new = "".join(self.rng.choice("BCDFGHKLMNPRSTVWXZ") for _ in word)
                    if new.lower() not in self.taken and new.lower() not in self.used:
                        self.used.add(new.lower())
                        break
                self.mapping[key] = new
            else:
                self.mapping[key] = invented_word(self.rng, self.taken, self.used)
        new = self.mapping[key]
        if word.isupper() and len(word) > 1:
            return new.upper()
        if word[:1].islower():
            return new.lower()
        return new

    def range(self, text):
        """Both ends of a range move by one factor, so it stays a range; a
        span of years ("2024-25") moves as years."""
        years = re.fullmatch(r"((?:19|20)\d\d)([-–])(\d\d)", text)
        if years:
            first, dash, second = years.groups()
            return f"{int(first) + self.year_shift}{dash}{(int(second) + self.year_shift) % 100:02d}"
        factor = self.rng.uniform(0.9, 1.1)
        return re.sub(NUM_TOKEN, lambda m: self.value(m.group(), factor), text)

    def value(self, text, factor=None):
        m = re.fullmatch(r"(" + NUMBER + r")(.*)", text)
        digits, suffix = m.group(1), m.group(2)
        plain = digits.replace(",", "")
        if "." not in plain and len(plain) == 4 and 1900 <= int(plain) <= 2099 and suffix in ("", "s"):
            return str(int(plain) + self.year_shift) + suffix
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        v = float(plain)
        step = 10 ** -decimals
        new = v
        for _ in range(8):
            new = round(v * (factor or self.rng.uniform(0.9, 1.1)), decimals)
            if new != v or factor:
                break
        if new == v:
            candidate = round(v + self.rng.choice([-1, 1]) * step, decimals)
            if v and abs(candidate - v) <= 0.1 * abs(v):
                new = candidate
        out = f"{new:.{decimals}f}"
        if "," in digits:
            whole, _, frac = out.partition(".")
            out = f"{int(whole):,}" + ("." + frac if frac else "")
        return out + suffix

    def mixed(self, tok):
        q = re.fullmatch(r"([QH])([1-4])(.*)", tok)
        if q:
            count = 4 if q.group(1) == "Q" else 2
            n = (int(q.group(2)) - 1 + self.quarter_shift) % count + 1
            return f"{q.group(1)}{n}{self.shift_years(q.group(3))}"
        fy = re.fullmatch(r"(FY)(\d{2}|\d{4})", tok)
        if fy:
            return fy.group(1) + str(int(fy.group(2)) + self.year_shift).zfill(len(fy.group(2)))
        out = []
        for ch in tok:
            if ch.isdigit():
                out.append(self.rng.choice("0123456789"))
            elif ch.isalpha():
                pick = self.rng.choice("bcdfghklmnprstvz")
                out.append(pick.upper() if ch.isupper() else pick)
            else:
                out.append(ch)
        return "".join(out)

    def shift_years(self, text):
        return re.sub(
            r"\d{2,4}", lambda m: str(int(m.group()) + self.year_shift).zfill(len(m.group())), text
        )

    def word(self, tok):
        core = base(tok)
        tail = tok[len(core) :]
        month = MONTHS.index(core) if core in MONTHS else MONTH_ABBR.get(core)
        if month is not None:
            shifted = MONTHS[(month + self.month_shift) % 12]
            return (shifted if core in MONTHS else shifted[:3]) + tail
        if core.lower() in ORDINALS:
            i = ORDINALS.index(core.lower())
            new = ORDINALS[(i + self.quarter_shift) % 4]
            return (new.capitalize() if core[0].isupper() else new) + tail
        if core.lower() in self.names:
            return self.name(core) + tail
        if self.swap_measures and core.lower() in MEASURE_SWAP:
            new = MEASURE_SWAP[core.lower()]
            if core.isupper():
                new = new.upper()
            elif core[0].isupper():
                new = new.capitalize()
            return new + tail
        if core.isupper() and len(core) > 1 and core not in KEEP_ACRONYMS:
            return self.name(core) + tail
        return tok

    def rewrite(self, text):
        """Quotations keep their words and figures and only change names: a
        quotation with a shifted month or figure could spell out, word for
        word, a misquote that a note was written with."""
        parts = QUOTATION.split(text)
        return "".join(
            self.rewrite_names(part) if i % 2 else self.rewrite_all(part)
            for i, part in enumerate(parts)
        )

    def rewrite_names(self, text):
        def sub(m):
            tok = m.group()
            core = base(tok)
            if core.lower() in self.names or (
                core.isupper() and len(core) > 1 and core not in KEEP_ACRONYMS
            ):
                return self.name(core) + tok[len(core) :]
            return tok

        return WORD.sub(sub, text)

    def rewrite_all(self, text):
        def sub(m):
            if m.group("range"):
                return self.range(m.group("range"))
            if m.group("num"):
                return self.value(m.group("num"))
            if m.group("mixed"):
                return self.mixed(m.group("mixed"))
            return self.word(m.group("word"))

        return TOKEN.sub(sub, text)


def filler(rng, taken):
    parts = []
    for _ in range(rng.randint(3, 6)):
        template = rng.choice(FILLER)
        parts.append(
            template.format(
                place=invented_word(rng, taken),
                n=rng.randint(3, 900),
                m=rng.randint(10, 600),
                p=rng.randint(2, 95),
                d=rng.randint(1, 28),
                h=rng.randint(2, 9),
                month=rng.choice(MONTHS),
                weekday=rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday"]),
            )
        )
    return "\n\n".join(parts) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--count", type=int, default=2100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--filler-share", type=float, default=0.1)
    ap.add_argument("cases", nargs="+", type=pathlib.Path)
    a = ap.parse_args()

    sources = []  # (case, text)
    vocab_by_case = {}
    seen_files = set()
    for case in a.cases:
        if not (case / "case.json").is_file():
            sys.exit(f"{case}: no case.json")
        corpus = case_corpus(case)
        if not corpus.exists():
            sys.exit(f"{case}: corpus {corpus} does not exist")
        vocab = vocab_by_case.setdefault(case, set())
        for path in corpus_files(corpus):
            text = strip_front_matter(path.read_text(encoding="utf-8", errors="replace"))
            vocab.update(base(m.group()).lower() for m in WORD.finditer(text))
            if path not in seen_files:
                seen_files.add(path)
                sources.append(text)
    if not sources:
        sys.exit("no source documents found in the cases given")

    heading_words = set()
    for case in a.cases:
        heading_words |= note_heading_words(case, vocab_by_case)
    names = learn_names(sources, heading_words)
    taken = set().union(*vocab_by_case.values())

    rng = random.Random(a.seed)
    a.out.mkdir(parents=True, exist_ok=True)
    paragraphs = [[p for p in re.split(r"\n\s*\n", s) if p.strip()] for s in sources]
    for i in range(a.count):
        if rng.random() < a.filler_share:
            text = filler(rng, taken)
        else:
            # The source's first paragraph (its headline or dateline, which
            # names what the document is about) and a run of the others.
            paras = paragraphs[rng.randrange(len(paragraphs))]
            head, rest = paras[:1], paras[1:]
            length = rng.randint(0, min(5, len(rest)))
            start = rng.randint(0, len(rest) - length)
            rewriter = Rewriter(rng, names, taken)
            text = "\n\n".join(head + rest[start : start + length])
            if len(text) > MAX_CHARS:
                cut = text.rfind(". ", 0, MAX_CHARS)
                text = text[: cut + 1 if cut > 0 else MAX_CHARS]
            text = rewriter.rewrite(text) + "\n"
        leaked = {base(m.group()).lower() for m in WORD.finditer(text)} & names
        if leaked:
            sys.exit(f"distractor {i} still names {sorted(leaked)}: a rewrite missed them")
        (a.out / f"zz-distractor-{i:04d}.txt").write_text(text, encoding="utf-8")
    print(f"wrote {a.count} distractors to {a.out} ({len(names)} names replaced)")


main()
