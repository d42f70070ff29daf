"""How Casework writes dates in Russian, over Django's own Russian formats (the rest, input
formats and number separators, are Django's).

Tables, lists and forms use the short formats: 02.12.2026 and 02.12.2026 14:30 (templates:
`|date:"SHORT_DATE_FORMAT"`). Running text uses DATE_FORMAT: "2 декабря 2026", without
Django's trailing "г.", which reads as a form letter in a sentence. Months by name:
"Декабрь 2026" (YEAR_MONTH_FORMAT, nominative) and "2 декабря" (MONTH_DAY_FORMAT, genitive:
Django's "j F" would print "2 Декабрь").
"""

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
