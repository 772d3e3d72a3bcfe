#!/usr/bin/env python3
"""Derive Kasir's sample product catalog from Open Food Facts extracts.

Usage (from the repository root):

    python3 scripts/derive_sample_catalog.py SOURCE_DIR [--out OUT_DIR]

SOURCE_DIR must contain the Open Food Facts extracts off-2018-asia-products.csv
and off-sample-products-fullschema.csv (they are not kept in the repository;
the derived catalog is).
OUT_DIR defaults to data/catalog in the repository root.

Writes:
  sample-catalog.csv  - catalog loaded by the register on first run
  bad-rows.csv        - small catalog of faulty rows for negative tests

Only GTINs and product names (plus brands/categories used to derive names and
categories) come from the source. Prices, stock, categories, tax categories and
units are SYNTHETIC: derived deterministically from the GTIN and from simple
keyword rules. Python 3 standard library only; output is byte-for-byte
reproducible for the same input.

Source data: Open Food Facts (openfoodfacts.org), ODbL 1.0. The derived catalog
is offered under ODbL 1.0 as well; see data/catalog/README.md.
"""

import argparse
import csv
import hashlib
import html
import os
import re
import sys
import unicodedata

HEADER = ["gtin", "sku", "name", "price", "tax_category", "unit", "category", "stock"]
ASIA_FILE = "off-2018-asia-products.csv"
FULL_FILE = "off-sample-products-fullschema.csv"
MAX_NAME = 60

# How many non-Indonesian products to take per GS1 prefix from the Asia extract
# (picked in GTIN-hash order, so the choice is stable but not "first N rows").
ASIA_QUOTA = {
    "885": 75,  # Thailand
    "888": 45,  # Singapore
    "890": 45,  # India
    "893": 45,  # Vietnam
    "955": 45,  # Malaysia
    "480": 25,  # Philippines
    "884": 15,  # Cambodia
    "896": 10,  # Pakistan
    "883": 3,   # Myanmar
}
# From the full-schema extract: all usable EAN-8 (capped), some UPC-A
# (13-digit codes with a leading 0, i.e. US/Canada UPC-A in EAN-13 form),
# and the rest EAN-13 products with category information.
FULL_QUOTA_EAN8 = 40
FULL_QUOTA_UPCA = 45
FULL_QUOTA_OTHER = 215
MAX_KG_ITEMS = 20


# --------------------------------------------------------------------------
# GTIN helpers
# --------------------------------------------------------------------------

def gs1_check_ok(code):
    """GS1 mod-10 check: weights 3,1,3,1... from the right, excluding the check digit."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def gtin14(code):
    return code.zfill(14)


def is_restricted(code):
    """Restricted-circulation / in-store / variable-measure number ranges.

    These codes are only unique inside one company or store (and prefix 2 is
    commonly used for price- or weight-embedded labels), so they are left out
    of the sample catalog to avoid clashing with a shop's own codes.
    """
    if len(code) == 8:
        return code[0] in "02"
    g13 = gtin14(code)[1:]
    p = int(g13[:3])
    return 20 <= p <= 29 or 40 <= p <= 49 or 200 <= p <= 299 or p >= 977


def h(tag, gtin):
    """Stable 256-bit integer from a purpose tag and the normalised GTIN."""
    return int.from_bytes(hashlib.sha256(f"{tag}:{gtin14(gtin)}".encode()).digest(), "big")


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

BAD_BRANDS = {"", "sans marque", "sin marca", "senza marca", "no brand", "unbranded", "generic"}


def clean_text(s):
    s = s or ""
    for _ in range(2):  # some values are double-escaped
        s = html.unescape(s)
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"^'?prodhead'?\s*>\s*", "", s.strip(), flags=re.I)  # scraper residue
    s = s.replace('\\"', '"').replace("\\", "/")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\*+$", "", s).strip()
    if s.count('"') % 2 == 1:  # e.g. 'Latte &quot' cut off in the source
        s = s.replace('"', "").strip()
    return s


def usable_name(s):
    """Reject empty names, names without two consecutive letters, and mojibake."""
    if len(s) < 2:
        return False
    if "??" in s or "\ufffd" in s:
        return False
    if not re.search(r"[^\W\d_]{2}", s):
        return False
    # Thai and other scripts with combining marks: require at least one base letter
    letters = [c for c in s if unicodedata.category(c).startswith("L")]
    return len(letters) >= 2


def truncate(s, limit=MAX_NAME):
    if len(s) <= limit:
        return s
    cut = s[:limit]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-/(&+")


def first_brand(brands):
    b = clean_text(brands.split(",")[0]) if brands else ""
    if b.casefold() in BAD_BRANDS or len(b) < 2 or not re.search(r"[^\W\d_]{2}", b):
        return ""
    return b


def with_brand(name, brand):
    if not brand:
        return name
    norm = lambda x: re.sub(r"[\W_]+", "", x.casefold())
    if norm(brand) in norm(name) or norm(brand.split(" ")[0]) in norm(name):
        return name
    combined = f"{brand} {name}"
    return combined if len(combined) <= MAX_NAME else name


# --------------------------------------------------------------------------
# Categories (Indonesian names), tax category and unit: keyword rules
# --------------------------------------------------------------------------

FLAVOUR = r"\b(rasa|flavou?r(ed)?|saveur|gusto|sabor|geschmack|aroma)\b"

# Ordered: first match wins. Patterns are matched case-insensitively against
# source category tags (hyphens -> spaces) and against product names in
# English, Indonesian, French, Italian, Spanish and German.
CATEGORY_RULES = [
    ("Minuman Beralkohol",
     r"\b(wines?|vins?|vino|beers?|bi[eè]re|birra|bier|spirits?|rum|whisk(e)?y|vodka|gin\b|liqueur|sake|soju|arak|"
     r"bintang|don papa|hatten|alcoholic beverages)\b",
     r"\b(non alcoholic|sans alcool|analcolic|alcohol free|0[.,]0)|vinegar|vinaigre|aceto|blue\b|ginger"),
    ("Es Krim & Beku",
     r"ice ?creams?|es krim|gelat[oi]\b|cr[eè]me glac[ée]e|ice confection|frozen|surgel|tiefgefror|congelad|"
     r"surgelat|magnum\b",
     r"thé glacé|iced tea|brenneke"),
    ("Mi & Pasta",
     r"noodles?|noddles|nudeln|nouilles?|\bmie?\b|ramen|pasta\b|pastas\b|p[aâ]tes\b|p[aâ]te (ruban|wonton|bakmi|chow)|"
     r"spaghetti|penne|fusilli|gnocchi|ravioli|tortellini|lasagn|vermicel|bihun|bihon|\bpho\b|rice sticks?|"
     r"la mian|udon|soba\b|kwetiau|bakmi|wonton|chow mein|macaroni|tagliatelle|maccheroni|farfalle|rigatoni|"
     r"orecchiette|linguine|yum ?yum|selera pedas|ayam bawang|express cup|cup noodle|ก๋วยเตี๋ยว|บะหมี่",
     r"khakhara|pasta (filata|dura|molle|semidura)|p[aâ]te fil[ée]e|cheese|formagg|fromage|sauces?\b|pesto|"
     r"\bsugo\b"),
    ("Bumbu & Saus",
     r"sauces?\b|\bsaus\b|salsa|\bsugo\b|\bsughi\b|sambal|kecap|ketchup|condiment|dressing|vinaigr|vinegars?|aceto|cuka|"
     r"seasoning|bumbu|spices?\b|[ée]pices?|(black|white|ground|long) pepper|poivre|pepe nero|pepper powder|"
     r"ginger powder|galangal|coriander|turmeric|\bpaste\b|\bpas\b|\bp[aâ]te (de|pour)|pesto|mayonna|mustard|"
     r"moutarde|senape|bouillon|broth|kaldu|\bbrodo|caldo|stock cube|flavou?ring|essence|flavor enhancer|"
     r"\bmsg\b|royco|masako|chili crunch|oelek|bon ?cabe|coconut (milk|cream)|lait de coco|"
     r"kokos(nuss)?milch|santan|kara coco|ar[oô]me de|insaporitore|origano|oregano|\bherbs?\b|sereh|"
     r"tomato (paste|pulp|puree)|polpa di pomodoro|passata|concentr[ée] de tomates?|concentrato di pomodoro|"
     r"tomato sauces|strained tomatoes|tomato pastes|tomato pulps|pimented|wasabi|tương|nước mắm|magic sarap|"
     r"saute mix|น้ำปลา|ซอส|น้ำจิ้ม",
     r"\bpois\b|peas\b|wasabi flavou?r|(chips|snack|crackers?)\b|cashew|peanut|\bnuts?\b|sardin|mackerel|"
     r"maquereau|gyoza|wonton|feuille"),
    ("Sembako",
     r"(olive|vegetable|seed|sunflower|grape ?seed|coconut|cooking|palm|sesame|peanut|corn|canola|rapeseed|"
     r"soy(bean)?|rice bran) oils?|\bolio\b|huile|aceite|minyak|vegetable oils|olive oils|\bfilma\b|margarin",
     r"sardin|tuna|thon|tonno|\bin (olive |vegetable |sunflower )?oil|sott'?olio|[àa] l'huile|all'olio|"
     r"in olio|sereh|lemongrass"),
    ("Permen & Cokelat",
     r"cand(y|ies)|permen|bonbon|sweets\b|\bmints?\b|menthos|mentos|chew(y|ing)?\b|\bgum\b|gomma|lollipop|"
     r"gumm(i|y|ies)|jelly|jelli?es|nutrijell|marshmallow|toffee|caramel|chocolat|cokelat|coklat|cioccolat|"
     r"schokolade|cacao|cocoa|confectioner|liquirizia|licorice|tic tac|pastilles?|yupi|chocostick|twister|"
     r"monggo|krakakoa|r[ée]sine des vosges|banh sua|fres mint|gula.gula|cukierek|gingerbon|nougat|soan papdi|dairy milk|"
     r"ยูปี|เดลฟี่|ลูกอม|ช็อกโกแลต|شوكولاته",
     r"biscuits?|biscut|cookies?|wafers?|cake|drink|boisson|\bbar\b|granola|muesli|cereal|\boats?\b|oreo|"
     r"tim tam|\buht\b"),
    ("Roti & Kue",
     r"breads?\b|\broti\b|\bpain\b|\bpane\b|panini|baguette|toast|biscuits?|biscut|cookies?|crackers?|"
     r"wafers?|wafel|cakes?\b|\bkue\b|bolu|chiffon|muffin|croissant|brioche|crepes?|creppes|pastr(y|ies)|"
     r"patisserie|\btart\b|\bpie\b|donut|martabak|pizza|focaccia|grissini|fette biscottate|pastiera|"
     r"g[âa]teau|oreo|ritz|danisa|malkist|astor\b|oat choco|beignet|polvoron|braid|wheatable|hello panda|"
     r"yan ?yan|fullo|marie\b|cream roll|swiss roll|คุกกี้|เวเฟอร์|ขนมปัง|เค้ก|บิสกิต",
     r"galettes? pour|rice paper|spring roll|rouleaux|nems|muesli|granola"),
    ("Makanan Ringan",
     r"chips|keripik|kripik|crisps|snacks?|\bnuts?\b|kacang|peanuts?|cashews?|\bnoix\b|cajou|almonds?\b|"
     r"pistachio|popcorn|pop corn|puffs?\b|pretzel|namkeen|poppadom|wasabi peas|\bpois\b|galettes? (de )?riz\b(?! carr)|rice cakes?|gallette di riso|granola bites|"
     r"\bbars?\b|soyjoy|fitbar|beng|deka|nabati|bhujia|chiwda|moong dal|khakhara|lays\b|pringles|mamee|"
     r"seaweed|rong biển|fryums|richeese|รีชีส|rings\b|pehalwaan|oishi|twisties|cheetos|doritos|"
     r"ขนม|มันฝรั่ง|ทอดกรอบ|อัลมอนด์|โปเต้|ถั่ว|สาหร่าย",
     r"almond (milk|drink|breeze)|milk|drink|boisson|bevanda|\boil\b"),
    ("Kopi & Teh",
     r"coffee|coffe\b|koffie|\bkopi|kopiko|kopico|caf[eé]\b|caffe|caff[eè]|kaffee|cappuc+in|capuc+in|carpuc|"
     r"espresso|java latte|nescaf|tora bika|arabica|robusta|3.in.1|3 en 1|\btea\b|\bteas\b|\bteh\b|\bth[eé]\b|"
     r"\bt[eè]\b|\btee\b|\bthea\b|\bch[aá]\b|\bchai\b|matcha|tisane|infusions?\b|herbal tea|rooibos|camomil|"
     r"chamomile|hot beverages|iced teas|tehbotol|sariwangi|jasmin tea|lipton|pure leaf|truetea|"
     r"กาแฟ|ชาเขียว|ชา|قهوة",
     r"ice confection|jasmine rice"),
    ("Minuman",
     r"(almond|soy|soja|oat|rice|riso|arroz|coconut|nut|plant) ?(milks?|drinks?|beverages?)|almondmilk|"
     r"mandelmilch|latte di (soia|mandorla|riso)|bevanda (di|alla|vegetale)|"
     r"bebida (de|ecol[oó]gica de) (arroz|soja|almendra|avena)|boisson (d'amande|de soja|au soja|d'avoine|de riz)|"
     r"nut milks|plant milks|milk substitute|almond breeze|\balpro\b|vitamilk|น้ำเต้าหู้|นมถั่วเหลือง",
     None),
    ("Makanan Siap Saji",
     r"soups?\b|soupe|velout[ée]|\bsop\b|\bsoto\b|zuppa|minestr|\bsopa\b|suppe|polievka|ready to eat|"
     r"ready meals?|samoussas?|samosas?|\bnems\b|spring rolls?|paratha|gyoza",
     r"seasoning|bumbu|instan spices|mix\b|sauce"),
    ("Susu & Olahan",
     r"\bmilks?\b|\bsusu\b|\blait\b|\blatte\b|\bleche\b|\bmilch|yog(h)?o?urt|yaourt|joghurt|cheeses?\b|"
     r"\bkeju\b|fromage|formaggio|queso|k[aä]se|mozzarella|ricotta|parmigiano|parmesan|grana padano|"
     r"stracchino|robiola|gorgonzola|pecorino|burrata|scamorza|fior di latte|butters?\b|\bburro\b|beurre|"
     r"mentega|\bcream\b|cr[eè]me fra[iî]che|chantilly|\bpanna\b|kefir|dairies|dairy|condensed|"
     r"kental manis|ultra milk|yakult|skyr|quark|mascarpone|provolone|emmental|comt[eé]|fermented milk|"
     r"dessert lact|milo\b|ovaltine|horlicks|sustagen|\bnan\b|infant formula|paneer|นม",
     r"acqua|water|sparkling"),
    ("Minuman",
     r"juices?\b|\bjus\b|\bjuss?\b|zumo|succo|\bsaft\b|nectar|nettare|waters?\b|\bair\b|\beau\b|\bacqua\b|"
     r"\bagua\b|wasser|sprudel|brause|drinks?\b|dronk|beverages?|boisson|bevanda|bebida|minuman|soda|cola\b|"
     r"coke\b|lemonade|limonata|isotonic|energy|pocari|extra joss|kuku bima|schweppes|ginger ale|sprite|"
     r"fanta|pulpy|powerade|vittel|evian|san benedetto|ferrarelle|\bpanna\b|fonte|sant'anna|prim-?a|"
     r"bondrink|fruit shoot|lifewater|\bshake\b|smoothie|sirop|syrups?|sciroppo|punch\b|limca|fresca\b|"
     r"mogu mogu|becks|kombucha|\bho2\b|น้ำ|วอเตอร์|เครื่องดื่ม|โซดา",
     r"au sirop|in syrup|en alm[ií]bar|sciroppata"),
    ("Kesehatan",
     r"vitamin|supplement|integrator|multivitamin|magnesio|magnesium|probiotic|protein powder|fiber drink|"
     r"jamu|karela|aloe|ispaghol|isabgol|psyllium|lecithin",
     None),
    ("Sereal & Selai",
     r"cereals?\b|c[ée]r[ée]ales|sereal|granola|muesli|m[uü]sli|oat(meal|s)?\b|porridge|corn ?flakes|"
     r"krispies|kellogg|breakfast cereals|honeys?\b|\bmadu\b|\bmiel\b|miele|\bhonig|\bjams?\b|selai|"
     r"sweet spreads|spreads?\b|p[aâ]te [àa] tartiner|nutella|crema spalmabile|crem nuar|chia|linseed|"
     r"flax|basil seed|confettura|marmellat|marmalade|marmelade|mermelada|confiture|composta|compotes?",
     None),
    ("Sembako",
     r"\brice\b|\brices\b|beras|\briso\b|\briz\b|arroz|carnaroli|arborio|basmati|\beggs?\b|telur|\buova\b|"
     r"\boeufs?\b|huevos|flour|tepung|farina|harina|\bmehl\b|\bfarine\b|sugar|\bgula\b|zucchero|\bsucre\b|"
     r"az[uú]car|\bsalts?\b|sel de mer|garam|\bsel\b|\bsale\b|\bsal\b|sago|sagu|jagung|kedelai|soybeans?|cereal grains|\bagar|"
     r"cornstarch|starch|tapioca|ข้าว",
     r"vinegar|rice (vinegar|spirit|cracker|drink|paper|stick|roll)|riso (soffiato|integrale soffiato)"),
    ("Daging & Ikan",
     r"\bmeats?\b|daging|\bbeef\b|boeuf|b[oœ]uf|\bsapi\b|chicken|\bayam\b|pollo|poulet|\bham\b|hams\b|jambon|"
     r"prosciutto|salami|salame|sausages?|saucisse|sosis|w[uü]rst|bresaola|guanciale|pancetta|\bspeck\b|"
     r"mortadella|turkey|dinde|tacchino|\bpavo\b|pork|\bporc\b|maiale|\blamb\b|agneau|kambing|osso buco|\bfish\b|"
     r"fishes|\bikan\b|poisson|pesce|pescado|tuna|tonno|\bthon\b|salmon|saumon|salmone|sardin|anchov|acciugh|"
     r"mackerel|makarel|cabillaud|\bcod\b|merluzzo|shrimps?|prawns?|crevettes?|udang|gamber|gambas|"
     r"crawfish|crab|crabe|kepiting|squid|cumi|calamar|seafood|fruits de mer|frutti di mare|floss|abon|"
     r"carpaccio|satay|simmenthal|canned meats|prepared meats|hamburguesa|burger|nugget|bakso|baso|kornet|"
     r"หมู|ไก่|เนื้อ|ปลา|กุ้ง",
     None),
    ("Buah & Sayur",
     r"fruits?\b|\bbuah|fruta|frutta|vegetables?|legumes?\b|l[ée]gumes|sayur|verdur|gem[uü]se|veggie|"
     r"salad|salade|insalata|lettuces?|laitue|lattuga|lechuga|escarola|rocket|roquette|rucola|r[uú]cula|"
     r"spring mix|jeunes pousses|spinach|[ée]pinards|bayam|kale|cabbage|\bcol\b|\bchou|kubis|tomato(es)?|"
     r"tomates?|pomodor|tomat\b|carrots?|carottes?|wortel|potato(es)?|patate|pommes? de terre|kentang|"
     r"onions?|oignons|cipoll|bawang|garlic|\bail\b|aglio|^ginger$|\bjahe\b|chil(i|e|li)(e?s)?\b|cabai|"
     r"peppers?\b|peperon|poivron|mushrooms?|champi|funghi|setas|jamur|shiitake|asparag|asperges|"
     r"esparragos|spargel|courgette|zucchin|aubergine|eggplant|melanzan|terong|broccoli|cauliflower|"
     r"cucumbers?|gherkins?|cornichons|cetriol|pickles?|olives?\b|olive verdi|aceitunas|beans?\b|haricots|"
     r"fagioli|lentil|lenticchie|chickpea|ceci\b|edamame|\bcorn\b|apples?\b|pommes?\b|mele\b|\bapel\b|"
     r"bananas?\b|pisang|mangos?\b|mangue|mangga|orange|jeruk|lemons?\b|limes?\b|grapes?\b|anggur|"
     r"berr(y|ies)|strawberr|fragol|pineapple|ananas|nanas|pi[ñn]a\b|papaya|pepaya|durian|rambutan|lychee|"
     r"lichee|leci|litchi|longan|mangosteen|manggis|\bcoco\b|coconut|kelapa|avocado|alpukat|melon|semangka|"
     r"watermelon|pear\b|poire|pesche|peach|apricot|cherry|ciliegi|celery|c[ée]leri|sedano|sprouts?|brotes|"
     r"germogli|salicorn|friarielli|erbette|spring onion|tempe|tofu|tahu|jacquier|jackfruit|corossol|"
     r"corosolle|pomegranate|fresh plant based foods|fresh vegetables|canned vegetables|leaf vegetables|"
     r"fruits based foods|vegetables based foods|plant based pickles|ผัก|ผลไม้|มะม่วง",
     None),
    ("Makanan Siap Saji",
     r"soups?\b|soupe|\bsop\b|\bsoto\b|zuppa|minestr|sopa|suppe|meals?\b|plats? cuisin|ready meal|"
     r"ready to eat|risotto|curry|\bkari\b|rendang|gulai|gulay|samossa|samoussa|samosa|spring rolls?|"
     r"nems\b|dim sum|dumpling|gyoza|lumpia|paratha|rolls?\b|galettes?\b|rice paper|sushi|onigiri|instant|"
     r"tempura|tom y[ua]m",
     None),
    ("Perawatan",
     r"shampoo|sabun|soap|toothpaste|pasta gigi|deodorant|lotion|detergent|refill|glade|tissue|tisu",
     None),
]
_COMPILED = [(cat, re.compile(pat, re.I), re.compile(neg, re.I) if neg else None)
             for cat, pat, neg in CATEGORY_RULES]
MEAT_FRUIT = {"Daging & Ikan", "Buah & Sayur"}


def classify_text(text, allow_fresh=True):
    for cat, pat, neg in _COMPILED:
        if not allow_fresh and cat in MEAT_FRUIT:
            continue
        if pat.search(text) and not (neg and neg.search(text)):
            return cat
    return None


def tag_text(tag):
    tag = tag.strip()
    if ":" in tag:
        tag = tag.split(":", 1)[1]
    return tag.replace("-", " ")


# A few names are too terse to classify from the text alone; the GS1 company
# prefix shows what they are (8990800 = the Mentos maker in this extract).
CATEGORY_OVERRIDE = {
    "8990800006727": "Permen & Cokelat",  # "Grape" (Mentos)
    "8992388134199": "Mi & Pasta",  # "shrimp" (next to "Mi instant shrimp" from the same maker)
    "8992741902915": "Permen & Cokelat",  # "Pizza xxl" (Yupi gummy candy)
    "8992741943642": "Permen & Cokelat",  # "Pizza" (Yupi gummy candy)
    "8992741944403": "Permen & Cokelat",  # "BerriBonz" (Yupi)
}


def categorise(gtin, name, brand="", generic="", main_category="", categories_tags=""):
    if gtin in CATEGORY_OVERRIDE:
        return CATEGORY_OVERRIDE[gtin]
    # 1) the most specific source category first (main_category, then tags
    #    from most to least specific); 2) then keywords in name and brand.
    tags = [main_category] + list(reversed([t for t in categories_tags.split(",") if t]))
    for t in tags:
        if t and t.strip():
            cat = classify_text(tag_text(t))
            if cat:
                return cat
    # "Rasa Ayam Bawang" / "beef flavour" is a flavour, not meat: skip the
    # meat/fruit rules when the name mentions a flavour.
    for text in (f"{name} {brand}", generic):
        text = text.strip()
        if text:
            flavoured = re.search(FLAVOUR, text, re.I) is not None
            cat = classify_text(text, allow_fresh=not flavoured)
            if cat:
                return cat
    return "Lainnya"


# Tax category. Indonesian VAT (PPN) exempts basic necessities
# ("barang kebutuhan pokok": rice, eggs, salt, sugar, corn, soybeans, fresh
# meat, fresh fruit and vegetables, fresh milk ...) as long as they are not
# processed. The rules below are a deliberately simple approximation for test
# data: exempt only when a fresh-staple keyword is present and no processing
# keyword is. Not tax advice.
PROCESSED = re.compile(
    r"juice|\bjus\b|zumo|succo|nectar|chips|keripik|crisps|canned|can\b|kaleng|conserv|\bboite\b|\bbo[iî]te\b|"
    r"\d+ ?cl\b|c[œo]eurs? de c[ée]leri|jacquier|in oil|sott'?olio|olio|huile|agrodolce|vinegar|aceto|pickle|gherkin|cornichon|cetriol|olive|acar|brine|"
    r"sauce|saus|sambal|pimenté|\bjam\b|confettura|confiture|marmellat|composta|preserve|soup|soupe|zuppa|"
    r"soto|puree|pur[ée]e|polpa|pulp|concentr|dried|secc|s[ée]ch|powder|poudre|bubuk|ground|salted|sal[ée]\b|"
    r"smoked|fum[ée]|cured|stagionat|floss|abon|sardin|corned|\bham\b|jambon|prosciutto|salami|salame|"
    r"sausage|saucisse|w[uü]rst|bresaola|guanciale|mortadella|arrosto|simmenthal|nugget|burger|hamburguesa|"
    r"satay|brochette|pizza|ready|instant|flavou?r|rasa|saveur|aroma|frozen|surgel|tiefgefror|congel|cooked|"
    r"boiled|cuit|grilled|\bchef\b|fried|\bfrit|goreng|tempura|beignet|samo?u?ssa|samosa|tikka|curry|kari|nems|"
    r"en su jugo|in syrup|sirop|syrup|tempe|tofu|tahu|miette|crabmeat|d[ée]cortiqu|pesto|cocktail|snack|"
    r"drink|boisson|bevanda|bebida|rolls?\b|dessert|sweet|sucr|candy|chew|filling|punch|vitamin|slices|"
    r"lamin|stir.fry|mixed fruit|sticks?\b|birbe|granule|lecithin|pepper\b|poivre|flakes|fagioli|"
    r"lenticchie|lentil|beans?\b|legume seeds|canned",
    re.I)
FRESH = re.compile(
    r"fresh|frais|fresc|segar|\braw\b|lettuces?|laitue|lattuga|lechuga|escarola|iceberg|roquette|rucola|"
    r"jeunes pousses|spring mix|salicorn|c[ée]leri|celery|sedano|asparag|asperges|esparragos|spargel|"
    r"tomat|pomodor|courgette|zucchin|apples?\b|\bmele\b|pommes?\b|banana|pisang|mango|mangue|grapes?\b|"
    r"lemons?\b|oranges?\b|ginger|jahe|garlic|aglio|\bail\b|onions?|cipoll|potato|patate|carrots?|broccoli|"
    r"spinach|cabbage|cucumber|lychee|leci|durian|papaya|pomegranate|jacquier|shrimps?|prawns?|crevettes?|"
    r"udang|gambas|calamari|squid|crab|crabe|pinces|fish|ikan|poisson|cabillaud|salmon|saumon|beef|boeuf|"
    r"daging|chicken|poulet|pollo|ayam|tacchino|dinde|turkey|pork|lamb|carpaccio|osso buco|"
    r"leaf vegetables|fresh vegetables|leaf salads|fresh plant based foods",
    re.I)
EXEMPT_STAPLE = re.compile(
    r"\brice\b|\brices\b|beras|\briso\b|\briz\b|arroz|carnaroli|arborio|basmati|\beggs?\b|telur|\buova\b|"
    r"\boeufs?\b|huevos|\bsalts?\b|sel de mer|sale (marino|fino|grosso)|garam|sugar|\bgula\b|"
    r"zucchero|\bsucre\b|az[uú]car|jagung|\bcorn\b|kedelai|soybeans?|sago|sagu",
    re.I)
NOT_STAPLE = re.compile(
    r"vinegar|aceto|cracker|drink|bevanda|bebida|boisson|spirit|paper|stick|roll|flour|farina|tepung|"
    r"risotto|funghi|porcini|tartufo|coconut|cocotier|\bcoco\b|palme?\b|zero|sugar.free|masala|beignet|"
    r"sweetener|substitut|chips|snack|sauce|ready|instant|galett|pudding|cake|ball|rings|krispies|"
    r"puffed|soffiato|pronto|flavou?r|seasoning",
    re.I)
PLAIN_MILK = re.compile(r"\bmilks?\b|\bsusu\b|\blait\b|\blatte\b|\bleche\b|\bmilch\b", re.I)
NOT_PLAIN_MILK = re.compile(
    r"yog|yaourt|joghurt|cheese|keju|fromage|formaggio|condens|kental|concentr|choc|cokelat|coklat|cacao|"
    r"fragola|strawberr|flavou?r|rasa|saveur|gusto|sweetened|powder|bubuk|coffee|caf|kopi|tea|teh|"
    r"almond|soy|soja|oat|rice|riso|coconut|coco|kefir|fermented|fermentat|bere|drink|butter|yakult|"
    r"probiotic|burro|beurre|3 in 1|en 1|banana|vanill|mandorla|substitute|substitut|dairy milk|treats|"
    r"formula|\bnan\b|milo|ovaltine|horlicks|malt",
    re.I)
# Loose items that a shop plausibly sells by weight.
LOOSE = re.compile(
    r"tomat|pomodor|apples?\b|\bmele\b|pommes?\b|ginger|jahe|courgette|zucchin|celery|c[ée]leri|"
    r"asparag|asperges|spargel|esparragos|potato|patate|kentang|onion|oignon|cipoll|carrot|carott|garlic|"
    r"aglio|banana|pisang|mango|lemon|orange|shrimp|prawn|crevette|udang|gambas|calamari|squid|beef|boeuf|"
    r"daging|chicken|poulet|pollo|ayam|fish|ikan|poisson|cabillaud|salmon|saumon|osso buco|dinde|turkey|"
    r"lamb|pork|carpaccio",
    re.I)
NOT_LOOSE = re.compile(
    r"salad|salade|insalata|laitue|lettuce|lechuga|brotes|sprouts|coeur|c[œo]ur|corazon|mix|pack|\d",
    re.I)


def tax_category(name, category, source_cats):
    text = f"{name} {source_cats}"
    if category in ("Buah & Sayur", "Daging & Ikan"):
        return "exempt" if FRESH.search(text) and not PROCESSED.search(text) else "ppn"
    if category == "Sembako":
        return "exempt" if EXEMPT_STAPLE.search(text) and not NOT_STAPLE.search(text) else "ppn"
    if category == "Susu & Olahan":
        return "exempt" if PLAIN_MILK.search(name) and not NOT_PLAIN_MILK.search(text) else "ppn"
    return "ppn"  # no `luxury` (PPnBM) goods in a food catalog


def is_loose(name, category, tax):
    return (tax == "exempt" and category in ("Buah & Sayur", "Daging & Ikan")
            and LOOSE.search(name) is not None and NOT_LOOSE.search(name) is None)


# --------------------------------------------------------------------------
# Synthetic price and stock
# --------------------------------------------------------------------------

# (low, high) whole rupiah, per category; log-uniform inside the band.
PRICE_BAND = {
    "Mi & Pasta": (2500, 35000),
    "Minuman": (3000, 30000),
    "Minuman Beralkohol": (25000, 150000),
    "Kopi & Teh": (2000, 60000),
    "Susu & Olahan": (4000, 75000),
    "Roti & Kue": (2000, 45000),
    "Makanan Ringan": (1500, 35000),
    "Permen & Cokelat": (1500, 45000),
    "Bumbu & Saus": (2000, 50000),
    "Daging & Ikan": (15000, 95000),
    "Buah & Sayur": (5000, 40000),
    "Sembako": (5000, 75000),
    "Es Krim & Beku": (5000, 75000),
    "Sereal & Selai": (10000, 75000),
    "Makanan Siap Saji": (8000, 60000),
    "Kesehatan": (10000, 90000),
    "Perawatan": (5000, 60000),
    "Lainnya": (3000, 50000),
}
PLAIN_MILK_BAND = (5000, 30000)
PRICE_BAND_KG = {
    "Buah & Sayur": (20000, 70000),
    "Daging & Ikan": (60000, 150000),
}


def synthetic_price(gtin, category, unit, tax="ppn"):
    if unit == "kg":
        lo, hi = PRICE_BAND_KG[category]
    elif category == "Susu & Olahan" and tax == "exempt":
        lo, hi = PLAIN_MILK_BAND
    else:
        lo, hi = PRICE_BAND[category]
    x = h("price", gtin)
    frac = (x % 1_000_000) / 1_000_000
    raw = lo * (hi / lo) ** frac
    step = 100 if (x >> 64) % 10 == 0 else 500  # ~10% end in a non-500 hundred
    price = int(round(raw / step)) * step
    return max(lo, min(hi, price))


def synthetic_stock(gtin, unit):
    x = h("stock", gtin)
    if x % 100 < 4:  # ~4% out of stock
        return "0" if unit == "each" else "0.000"
    if unit == "kg":
        grams = 500 + ((x >> 16) % 800) * 50  # 0.500 .. 40.450 kg, 50 g steps
        return f"{grams // 1000}.{grams % 1000:03d}"
    return str(1 + (x >> 16) % 200)


# --------------------------------------------------------------------------
# Loading and selection
# --------------------------------------------------------------------------

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_flag(code, flag, where, mismatches):
    mine = gs1_check_ok(code)
    if str(mine) != flag.strip():
        mismatches.append((where, code, flag, mine))
    return mine


def load_candidates(src):
    mismatches = []
    asia, full = [], []
    for row in read_csv(os.path.join(src, ASIA_FILE)):
        code = row["barcode"].strip()
        ok = check_flag(code, row["gtin_check_digit_valid"], ASIA_FILE, mismatches)
        asia.append(dict(code=code, ok=ok, name=clean_text(row["product_name"]), brand="",
                         generic="", main_category="", tags="", source="asia"))
    for row in read_csv(os.path.join(src, FULL_FILE)):
        code = row["code"].strip()
        ok = check_flag(code, row["gtin_check_digit_valid"], FULL_FILE, mismatches)
        full.append(dict(code=code, ok=ok, name=clean_text(row["product_name"]),
                         brand=first_brand(row["brands"]), generic=clean_text(row["generic_name"]),
                         main_category=row["main_category"].strip(),
                         tags=row["categories_tags"].strip(), source="full"))
    return asia, full, mismatches


def finish(rec):
    name = truncate(with_brand(rec["name"], rec["brand"]))
    category = categorise(rec["code"], rec["name"], rec["brand"], rec["generic"], rec["main_category"], rec["tags"])
    src_cats = f"{rec['generic']} {tag_text(rec['main_category'])} " + " ".join(
        tag_text(t) for t in rec["tags"].split(",") if t)
    tax = tax_category(name, category, src_cats)
    return dict(gtin=rec["code"], name=name, category=category, tax_category=tax,
                source=rec["source"], loose=is_loose(rec["name"], category, tax))


def select(asia, full):
    seen = set()
    picked = []

    def eligible(r):
        return r["ok"] and usable_name(r["name"]) and not is_restricted(r["code"])

    def take(r):
        g = gtin14(r["code"])
        if g in seen:
            return False
        seen.add(g)
        picked.append(r)
        return True

    by_hash = lambda rows: sorted(rows, key=lambda r: (h("select", r["code"]), r["code"]))

    # 1) every Indonesian (GS1 899) product, from either file; the full-schema
    #    row wins on a duplicate because it carries brand and categories.
    indo = [r for r in full + asia if gtin14(r["code"])[1:4] == "899" and eligible(r)]
    for r in indo:
        take(r)
    # 2) a spread of other Asian prefixes
    for prefix, quota in ASIA_QUOTA.items():
        n = 0
        for r in by_hash([r for r in asia if r["code"].startswith(prefix) and eligible(r)]):
            if n >= quota:
                break
            n += take(r)
    # 3) full-schema rows: EAN-8, UPC-A (leading 0), then categorised EAN-13
    pool = [r for r in full if eligible(r)]
    groups = [
        ([r for r in pool if len(r["code"]) == 8], FULL_QUOTA_EAN8),
        ([r for r in pool if len(r["code"]) == 12 or (len(r["code"]) == 13 and r["code"][0] == "0")],
         FULL_QUOTA_UPCA),
        ([r for r in pool if len(r["code"]) == 13 and r["code"][0] != "0"
          and (r["main_category"] or r["tags"])], FULL_QUOTA_OTHER),
    ]
    for rows, quota in groups:
        n = 0
        for r in by_hash(rows):
            if n >= quota:
                break
            n += take(r)
    return picked


def build_rows(picked):
    items = [finish(r) for r in picked]
    # Only a handful of loose items are sold per kg.
    loose = sorted((it for it in items if it["loose"]), key=lambda it: h("kg", it["gtin"]))
    kg = {it["gtin"] for it in loose[:MAX_KG_ITEMS]}
    for it in items:
        it["unit"] = "kg" if it["gtin"] in kg else "each"
        it["price"] = synthetic_price(it["gtin"], it["category"], it["unit"], it["tax_category"])
        it["stock"] = synthetic_stock(it["gtin"], it["unit"])
    items.sort(key=lambda it: (it["category"].casefold(), it["name"].casefold(), it["name"], it["gtin"]))
    for i, it in enumerate(items, 1):
        it["sku"] = f"SKU-{i:05d}"
    return items


# --------------------------------------------------------------------------
# bad-rows.csv
# --------------------------------------------------------------------------

def build_bad_rows(asia, full, items):
    """15 rows: 3 good, 3 real source codes failing the check digit (EAN-13, UPC-A,
    EAN-8), 9 hand-made faults.

    Every faulty row has exactly one intended fault; everything else is valid.
    """
    in_sample = {gtin14(it["gtin"]) for it in items}
    good_src = [it for it in items if it["unit"] == "each" and it["name"].isascii()]
    indo = [it for it in good_src if it["gtin"].startswith("899")]
    other = [it for it in good_src if not it["gtin"].startswith("899") and len(it["gtin"]) == 8]
    goods = [indo[0], indo[1], other[0]]

    # Valid, usable codes from the source that are NOT in the sample catalog
    # (so a test can tell "rejected" from "already known").
    spare = sorted((r for r in asia + full if r["ok"] and usable_name(r["name"])
                    and not is_restricted(r["code"]) and gtin14(r["code"]) not in in_sample),
                   key=lambda r: (h("spare", r["code"]), r["code"]))
    spare_it = iter(spare)

    def spare_row(**override):
        r = next(spare_it)
        it = finish(r)
        row = dict(gtin=r["code"], name=it["name"], price=str(synthetic_price(r["code"], it["category"], "each", it["tax_category"])),
                   tax_category=it["tax_category"], unit="each", category=it["category"],
                   stock=synthetic_stock(r["code"], "each"))
        row.update(override)
        return row

    def real_bad(rows):
        r = sorted(rows, key=lambda r: r["code"])[0]
        it = finish(r)
        return dict(gtin=r["code"], name=it["name"], price=str(synthetic_price(r["code"], it["category"], "each", it["tax_category"])),
                    tax_category=it["tax_category"], unit="each", category=it["category"],
                    stock=synthetic_stock(r["code"], "each"))

    def good(it):
        return {k: str(it[k]) for k in ("gtin", "name", "price", "tax_category", "unit", "category", "stock")}

    bad_asia = [r for r in asia if not r["ok"] and usable_name(r["name"])]
    # Outside the restricted-circulation ranges, so the check digit is the only
    # fault. (All 13-digit failures in the full-schema file are 2000000... in-store
    # codes, so the 13-digit case comes from the Asia file; its 12-digit UPC-A
    # failure is used instead.)
    bad_12 = [r for r in full if not r["ok"] and len(r["code"]) == 12 and r["code"].isdigit()
              and usable_name(r["name"]) and not is_restricted(r["code"])]
    bad_8 = [r for r in full if not r["ok"] and len(r["code"]) == 8 and r["code"].isdigit()
             and usable_name(r["name"]) and not is_restricted(r["code"])]

    first = good(goods[0])
    spec = [
        ("ok", "good row (Indonesian product, valid EAN-13)", first),
        ("check_digit", "real source code (off-2018-asia-products.csv), EAN-13 check digit wrong", real_bad(bad_asia)),
        ("check_digit", "real source code (off-sample-products-fullschema.csv), UPC-A (12 digits) check digit wrong", real_bad(bad_12)),
        ("check_digit", "real source code (off-sample-products-fullschema.csv), EAN-8 check digit wrong", real_bad(bad_8)),
        ("missing_name", "name is empty", spare_row(name="")),
        ("negative_price", "price is negative (-2500)", spare_row(price="-2500")),
        ("bad_price", 'price is not a number ("12,5a"; quoted in the CSV because of the comma)', spare_row(price="12,5a")),
        ("bad_price", 'price has decimals ("1500.50"); IDR prices are whole rupiah', spare_row(price="1500.50")),
        ("ok", "good row (Indonesian product)", good(goods[1])),
        ("bad_unit", 'unknown unit "box"', spare_row(unit="box")),
        ("bad_tax", 'unknown tax category "vat"', spare_row(tax_category="vat")),
        ("missing_gtin", "gtin is empty", spare_row(gtin="")),
        ("bad_gtin", "gtin contains letters", spare_row(gtin="89912A4567893")),
        ("ok", "good row (EAN-8)", good(goods[2])),
        ("duplicate_gtin", "duplicate of the gtin on line 2 (otherwise valid, different sku/name)",
         spare_row(gtin=first["gtin"])),
    ]
    rows, table = [], []
    for i, (kind, desc, row) in enumerate(spec):
        row = dict(row)
        row["sku"] = f"BAD-{i + 1:03d}"
        rows.append(row)
        table.append((i + 2, kind, desc, row["gtin"]))
    return rows, table


# --------------------------------------------------------------------------
# Output and self-checks
# --------------------------------------------------------------------------

def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in HEADER})


def verify(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header == HEADER, header
    seen = set()
    for r in rows:
        rec = dict(zip(HEADER, r))
        assert len(r) == len(HEADER), r
        assert gs1_check_ok(rec["gtin"]) and len(rec["gtin"]) in (8, 12, 13), rec
        g = gtin14(rec["gtin"])
        assert g not in seen, rec
        seen.add(g)
        assert rec["name"] and rec["name"] == rec["name"].strip() and "\n" not in rec["name"], rec
        assert re.fullmatch(r"[1-9][0-9]*", rec["price"]), rec
        assert rec["tax_category"] in ("ppn", "exempt", "luxury"), rec
        assert rec["unit"] in ("each", "kg"), rec
        assert rec["category"], rec
        if rec["unit"] == "each":
            assert re.fullmatch(r"[0-9]+", rec["stock"]) and int(rec["stock"]) <= 200, rec
        else:
            assert re.fullmatch(r"[0-9]+\.[0-9]{3}", rec["stock"]), rec
    return rows


def main(argv=None):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="directory with the Open Food Facts CSV extracts")
    ap.add_argument("--out", default=os.path.join(repo, "data", "catalog"), help="output directory")
    ap.add_argument("--print-bad-table", action="store_true",
                    help="print the bad-rows fault table as Markdown (for data/catalog/README.md)")
    args = ap.parse_args(argv)

    asia, full, mismatches = load_candidates(args.source)
    for where, code, flag, mine in mismatches:
        print(f"warning: {where}: {code}: flag says {flag}, computed {mine}", file=sys.stderr)

    items = build_rows(select(asia, full))
    bad, table = build_bad_rows(asia, full, items)

    os.makedirs(args.out, exist_ok=True)
    sample_path = os.path.join(args.out, "sample-catalog.csv")
    write_csv(sample_path, items)
    write_csv(os.path.join(args.out, "bad-rows.csv"), bad)
    rows = verify(sample_path)

    indo = sum(1 for it in items if gtin14(it["gtin"])[1:4] == "899")
    print(f"sample-catalog.csv: {len(rows)} rows ({indo} Indonesian, GS1 899); "
          f"flag mismatches: {len(mismatches)}")
    print(f"bad-rows.csv: {len(bad)} rows")
    if args.print_bad_table:
        print("\n| Line | Fault | GTIN | Description |\n|---:|---|---|---|")
        for line, kind, desc, g in table:
            print(f"| {line} | `{kind}` | {('`' + g + '`') if g else '(empty)'} | {desc} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
