"""News-like text of any size, English and Arabic, with quotations in every common mark style.

Used by Benchmarks/keystroke_latency.py and the end-to-end tests (standard library only).
"""

from __future__ import annotations

import random

ENGLISH = [
    "The minister said: “We will not give in to pressure from {place}.” Officials said talks may resume on {day}.",
    "“It is probably too early to say,” a diplomat told reporters in {place}, according to Reuters.",
    "Analysts expect the central bank to hold rates steady at its meeting on {day}, though some see a cut as possible.",
    "She called the decision “a historic mistake” and said the \"old rules\" no longer applied in {place}.",
    "The report, released on {day}, found that {n} percent of households in {place} had cut spending since March.",
    "“Nobody told us,” one resident said. “We heard about it on the radio,” she added, standing outside her shop in {place}.",
    "Police said {n} people had been detained after clashes near the stadium; the figure could not be independently verified.",
    "According to the statement, the company “remains committed to {place}” and will keep its {n} stores open.",
]

ARABIC = [
    "قال الوزير في {place}: «لن نتراجع عن قراراتنا» مضيفًا أن المحادثات قد تستأنف يوم {day}.",
    "وأضاف مسؤولون أن المفاوضات “قد تستأنف قريبًا” بحسب وكالة الأنباء الرسمية في {place}.",
    "وذكرت وسائل إعلام محلية أن {n} شخصًا أصيبوا في الحادث الذي وقع مساء {day} قرب {place}.",
    "ونقلت الصحيفة عن مصدر مطلع قوله: «الوضع تحت السيطرة ولا داعي للقلق»، وهو ما لم يتسن التأكد منه.",
    "ويعتقد محللون أن الاتفاق ربما يفتح الباب أمام استثمارات جديدة في {place} خلال العام المقبل.",
    "وقالت المتحدثة باسم الحكومة إن “الأرقام الأولية مشجعة” لكنها حذرت من التسرع في الاستنتاجات.",
]

PLACES = ["Seoul", "Cairo", "Riyadh", "Brussels", "Lagos", "Lima", "Jakarta", "Doha", "Oslo", "Amman"]
PLACES_AR = ["الرياض", "القاهرة", "عمّان", "الدوحة", "بيروت", "تونس", "الرباط", "بغداد"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DAYS_AR = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]


def paragraph(rng: random.Random) -> str:
    """One paragraph of two to four sentences, English or Arabic (about one in three Arabic)."""
    if rng.random() < 0.33:
        pool, places, days = ARABIC, PLACES_AR, DAYS_AR
    else:
        pool, places, days = ENGLISH, PLACES, DAYS
    sentences = [
        rng.choice(pool).format(place=rng.choice(places), day=rng.choice(days), n=rng.randint(2, 990))
        for _ in range(rng.randint(2, 4))
    ]
    return " ".join(sentences)


def build_document(size: int = 1 << 20, seed: int = 7) -> str:
    """Paragraphs separated by blank lines until the UTF-8 size reaches `size` bytes."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        p = paragraph(rng)
        parts.append(p)
        total += len(p.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"
