"""Other names for the same actor: a capital for its government ("Minsk" for Belarus), an
institution's short name ("the Alliance" for NATO), an abbreviation ("USSR" for the Soviet
Union). Analysts write one, reports the other; a question naming either names both."""
from __future__ import annotations

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
ALIASES: dict[str, frozenset[str]] = {}
for group in _GROUPS:
    for name in group:
        ALIASES[name] = ALIASES.get(name, frozenset()) | frozenset(group)


def other_names(name: str) -> frozenset[str]:
    """Lower-case names that stand for the same actor as `name` (itself included)."""
    low = name.lower()
    if low in ALIASES:
        return ALIASES[low]
    if len(low) >= 5:                   # "Russian" stands for Russia, "Belarusian" for Belarus
        for key, group in ALIASES.items():
            if len(key) >= 5 and low.startswith(key[:5]):
                return group | {low}
    return frozenset({low})
