"""Other names for the same actor: a capital for its government ("Minsk" for Belarus), an
institution's short name ("the Alliance" for NATO), an abbreviation ("USSR" for the Soviet
Union). Analysts write one, reports the other; a question naming either names both."""
from __future__ import annotations

from functools import lru_cache
from os.path import commonprefix

_GROUPS = (
    ("belarus", "minsk", "lukashenko"),
    ("russia", "moscow", "kremlin", "putin"),
    ("ukraine", "kyiv", "kiev"),
    ("turkey", "ankara", "erdogan"),
    ("poland", "warsaw"),
    ("lithuania", "vilnius"),
    ("latvia", "riga"),
    ("estonia", "tallinn"),
    ("serbia", "belgrade"),
    ("moldova", "chisinau"),
    ("syria", "damascus", "assad", "regime"),
    ("iran", "tehran"),
    ("china", "beijing"),
    ("united", "states", "washington", "us", "american"),
    ("britain", "uk", "london", "british"),
    ("germany", "berlin"),
    ("france", "paris", "french"),
    # adjectives that share no stem with their country ("Turkish" and "Turkey" do: index.answer.judge)
    ("netherlands", "dutch", "holland", "amsterdam"),
    ("spain", "spanish", "madrid"),
    ("switzerland", "swiss", "bern"),
    ("greece", "greek", "athens"),
    ("denmark", "danish", "copenhagen"),
    ("ireland", "irish", "dublin"),
    ("norway", "norwegian", "oslo"),
    ("wales", "welsh"),
    ("philippines", "filipino", "philippine", "manila"),
    ("nato", "alliance", "allies"),
    ("eu", "european", "brussels", "meps", "mep"),
    ("ussr", "soviet"),
    ("hts", "hayat", "tahrir"),
)
# a country and its capital (and an adjective sharing no five letters with it), where the capital's name
# is no common word or other place: analysts write "Mogadishu said" for Somalia's government. Left out on
# purpose: the two Koreas and Congos, contested capitals, and capitals that are also common names
# (Victoria, Santiago, Sofia, Kingston, Wellington).
_CAPITALS = (
    ("somalia", "mogadishu"), ("egypt", "cairo"), ("iraq", "baghdad", "iraqi"), ("afghanistan", "kabul"),
    ("pakistan", "islamabad"), ("india", "delhi"), ("japan", "tokyo", "japanese"), ("taiwan", "taipei"),
    ("lebanon", "beirut", "lebanese"), ("jordan", "amman"), ("saudi", "riyadh"), ("yemen", "sanaa", "sana'a"),
    ("qatar", "doha"), ("kuwait", "kuwaiti"), ("bahrain", "manama"), ("oman", "muscat", "omani"),
    ("emirates", "uae", "emirati", "emiratis"), ("libya", "tripoli"), ("sudan", "khartoum"),
    ("ethiopia", "addis", "ababa"), ("eritrea", "asmara"), ("kenya", "nairobi"), ("uganda", "kampala"),
    ("rwanda", "kigali"), ("tanzania", "dodoma"), ("nigeria", "abuja"), ("algeria", "algiers"),
    ("morocco", "rabat", "moroccan"), ("tunisia", "tunis"), ("mali", "bamako", "malian"), ("niger", "niamey"),
    ("chad", "n'djamena", "ndjamena", "chadian"), ("senegal", "dakar"), ("ghana", "accra"),
    ("cameroon", "yaounde", "yaoundé"), ("mozambique", "maputo"), ("angola", "luanda"),
    ("zimbabwe", "harare"), ("canada", "ottawa", "canadian"), ("brazil", "brasilia", "brasília"),
    ("venezuela", "caracas"), ("colombia", "bogota", "bogotá"), ("cuba", "havana", "cuban"),
    ("peru", "lima", "peruvian"), ("vietnam", "hanoi", "vietnamese"), ("thailand", "bangkok", "thai"),
    ("indonesia", "jakarta"), ("myanmar", "burma", "burmese", "naypyidaw"), ("bangladesh", "dhaka"),
    ("nepal", "kathmandu"), ("mongolia", "ulaanbaatar"), ("kazakhstan", "astana"),
    ("uzbekistan", "tashkent"), ("kyrgyzstan", "bishkek"), ("tajikistan", "dushanbe"),
    ("turkmenistan", "ashgabat"), ("azerbaijan", "baku", "azeri"), ("armenia", "yerevan"),
    ("georgia", "tbilisi"), ("hungary", "budapest"), ("romania", "bucharest"), ("czech", "czechia", "prague"),
    ("slovakia", "bratislava", "slovak"), ("austria", "vienna"), ("italy", "rome", "italian"),
    ("portugal", "lisbon", "portuguese"), ("sweden", "stockholm", "swedish"), ("finland", "helsinki", "finnish"),
    ("iceland", "reykjavik"), ("croatia", "zagreb", "croat"), ("slovenia", "ljubljana"),
    ("bosnia", "sarajevo"), ("kosovo", "pristina"), ("albania", "tirana"), ("montenegro", "podgorica"),
    ("macedonia", "skopje"), ("cyprus", "nicosia", "cypriot"), ("australia", "canberra"),
)
# a region a question names by its countries' names ("the Central American canal": "the Panama Canal";
# "its North American neighbours": "Canada and Mexico"); regions whose names are also a sea's or a
# gulf's (Mediterranean, Gulf) or that have no agreed members (Middle East) are left out
_REGIONS = {
    ("north", "america"): ("canada", "mexico"),
    ("central", "america"): ("panama", "guatemala", "honduras", "salvador", "nicaragua", "costa", "belize"),
    ("south", "america"): ("brazil", "argentina", "chile", "peru", "colombia", "venezuela", "ecuador", "bolivia",
                           "paraguay", "uruguay"),
    ("baltic",): ("estonia", "latvia", "lithuania"),
    ("nordic",): ("sweden", "norway", "denmark", "finland", "iceland"),
    ("scandinavia",): ("sweden", "norway", "denmark"),
    ("balkan",): ("serbia", "bosnia", "kosovo", "albania", "montenegro", "macedonia", "croatia", "slovenia"),
    ("sahel",): ("mali", "niger", "chad", "burkina", "mauritania"),
    ("central", "asia"): ("kazakhstan", "uzbekistan", "kyrgyzstan", "tajikistan", "turkmenistan"),
    ("caucasus",): ("georgia", "armenia", "azerbaijan"),
}


@lru_cache(maxsize=4096)
def region_countries(name: tuple[str, ...]) -> tuple[str, ...]:
    """The countries of a region a name stands for ("Central American", "the Baltics"), or ()."""
    words = tuple(w.lower().removesuffix("’s").removesuffix("'s") for w in name)
    for key, countries in _REGIONS.items():
        if len(words) == len(key) and all(w.startswith(k[:5] if len(k) > 5 else k) for w, k in zip(words, key)):
            return countries
    return ()


ALIASES: dict[str, frozenset[str]] = {}
for group in _GROUPS + _CAPITALS:
    for name in group:
        ALIASES[name] = ALIASES.get(name, frozenset()) | frozenset(group)


@lru_cache(maxsize=16384)
def other_names(name: str) -> frozenset[str]:
    """Lower-case names that stand for the same actor as `name` (itself included)."""
    low = name.lower()
    if low in ALIASES:
        return ALIASES[low]
    if len(low) >= 5:                   # "Russian" stands for Russia, "Belarusian" for Belarus
        # of names sharing its first five letters, the longest it starts with, else the one sharing most
        # ("Australian": Australia, not Austria; "Nigerien": Niger, "Nigerian": Nigeria)
        keys = [key for key in ALIASES if len(key) >= 5 and low.startswith(key[:5])]
        if keys:
            return ALIASES[max(keys, key=lambda key: (low.startswith(key), len(commonprefix((low, key)))))] | {low}
    return frozenset({low})
