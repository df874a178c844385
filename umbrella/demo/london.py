"""The shape of the synthetic London: boroughs, seasons and trigger events.

Borough weights are rounded from the Metropolitan Police's monthly racist and religious hate
crime counts by borough (June 2018 to May 2021, London Datastore "MPS Hate Crime or Special
Crime Dashboard Data", Open Government Licence); the City of London has its own force and only
a token share. The monthly profile comes from the same series (a spring and summer peak, a
winter trough). Coordinates are rough borough centres from the London Datastore boundary files
(contains OS data © Crown copyright). Postcode districts are the usual ones for each borough.
Trigger events are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Borough:
    gss: str
    name: str
    weight: int
    latitude: float
    longitude: float
    districts: tuple[str, ...]


BOROUGHS: tuple[Borough, ...] = (
    Borough("E09000001", "City of London", 150, 51.514, -0.091, ("EC2V", "EC3A", "EC4M", "EC1A")),
    Borough("E09000002", "Barking and Dagenham", 1289, 51.545, 0.129, ("IG11", "RM8", "RM9", "RM10")),
    Borough("E09000003", "Barnet", 2424, 51.604, -0.209, ("N3", "N12", "NW4", "NW7", "NW11", "EN5")),
    Borough("E09000004", "Bexley", 1043, 51.460, 0.159, ("DA5", "DA6", "DA7", "DA14", "DA15")),
    Borough("E09000005", "Brent", 2104, 51.558, -0.259, ("NW10", "HA9", "NW2", "HA0", "NW6")),
    Borough("E09000006", "Bromley", 1453, 51.368, 0.056, ("BR1", "BR2", "BR3", "BR6", "SE20")),
    Borough("E09000007", "Camden", 2433, 51.549, -0.160, ("NW1", "NW3", "NW5", "WC1H", "WC1X")),
    Borough("E09000008", "Croydon", 2153, 51.357, -0.084, ("CR0", "CR2", "CR7", "SE25")),
    Borough("E09000009", "Ealing", 2197, 51.522, -0.331, ("W5", "W13", "W3", "UB1", "UB6")),
    Borough("E09000010", "Enfield", 1607, 51.648, -0.081, ("EN1", "EN2", "EN3", "N9", "N13")),
    Borough("E09000011", "Greenwich", 1980, 51.471, 0.040, ("SE10", "SE18", "SE9", "SE3", "SE2")),
    Borough("E09000012", "Hackney", 2556, 51.554, -0.063, ("E8", "E5", "E9", "N16", "E2")),
    Borough("E09000013", "Hammersmith and Fulham", 1662, 51.499, -0.224, ("W6", "W12", "SW6", "W14")),
    Borough("E09000014", "Haringey", 2123, 51.588, -0.102, ("N15", "N17", "N22", "N8", "N4", "N10")),
    Borough("E09000015", "Harrow", 1100, 51.595, -0.342, ("HA1", "HA2", "HA3", "HA5")),
    Borough("E09000016", "Havering", 1099, 51.551, 0.220, ("RM1", "RM3", "RM7", "RM11", "RM12")),
    Borough("E09000017", "Hillingdon", 1773, 51.536, -0.465, ("UB8", "UB10", "UB3", "UB4", "HA4")),
    Borough("E09000018", "Hounslow", 1733, 51.469, -0.349, ("TW3", "TW4", "TW5", "TW7", "W4")),
    Borough("E09000019", "Islington", 1929, 51.548, -0.110, ("N1", "N7", "N19", "EC1V", "N5")),
    Borough("E09000020", "Kensington and Chelsea", 1367, 51.504, -0.199, ("W8", "W10", "W11", "SW3", "SW5", "SW7")),
    Borough("E09000021", "Kingston upon Thames", 803, 51.387, -0.284, ("KT1", "KT2", "KT3", "KT6")),
    Borough("E09000022", "Lambeth", 2521, 51.452, -0.117, ("SW2", "SW4", "SW9", "SE11", "SE27", "SW16")),
    Borough("E09000023", "Lewisham", 2012, 51.452, -0.020, ("SE4", "SE6", "SE13", "SE14", "SE23")),
    Borough("E09000024", "Merton", 920, 51.410, -0.193, ("SW19", "SW20", "CR4", "SM4")),
    Borough("E09000025", "Newham", 2234, 51.531, 0.033, ("E6", "E7", "E13", "E15", "E16")),
    Borough("E09000026", "Redbridge", 1417, 51.586, 0.066, ("IG1", "IG2", "IG3", "IG4", "IG8", "E18")),
    Borough("E09000027", "Richmond upon Thames", 752, 51.447, -0.317, ("TW1", "TW2", "TW9", "TW10", "SW14")),
    Borough("E09000028", "Southwark", 2357, 51.476, -0.069, ("SE1", "SE5", "SE15", "SE16", "SE22")),
    Borough("E09000029", "Sutton", 866, 51.363, -0.179, ("SM1", "SM2", "SM3", "SM5")),
    Borough("E09000030", "Tower Hamlets", 2668, 51.515, -0.032, ("E1", "E3", "E14", "E1W")),
    Borough("E09000031", "Waltham Forest", 1457, 51.595, -0.018, ("E4", "E10", "E11", "E17")),
    Borough("E09000032", "Wandsworth", 1748, 51.452, -0.181, ("SW11", "SW12", "SW15", "SW17", "SW18")),
    Borough("E09000033", "Westminster", 4363, 51.515, -0.163, ("W1D", "W1F", "W2", "SW1A", "SW1P", "NW8", "W9")),
)
BOROUGH_BY_GSS = {borough.gss: borough for borough in BOROUGHS}

# Where some kinds of hostility concentrate, as a multiplier on the borough weight.
MOTIVE_BOROUGH_FACTORS: dict[str, dict[str, float]] = {
    "antisemitic": {
        "E09000003": 6.0, "E09000012": 5.0, "E09000014": 3.0, "E09000007": 2.5,
        "E09000033": 2.0, "E09000026": 1.5, "E09000015": 1.5,
    },
    "anti_muslim": {
        "E09000030": 3.0, "E09000025": 3.0, "E09000026": 2.0, "E09000031": 2.0,
        "E09000005": 1.5, "E09000033": 1.5, "E09000009": 1.5,
    },
    "sexual_orientation": {
        "E09000033": 2.5, "E09000022": 2.0, "E09000028": 1.5, "E09000019": 1.5,
        "E09000007": 1.5, "E09000012": 1.5, "E09000030": 1.3,
    },
}
MOTIVE_BOROUGH_FACTORS["transgender"] = MOTIVE_BOROUGH_FACTORS["sexual_orientation"]

# January .. December, relative to the mean month (MPS series above, rounded).
MONTH_FACTORS: tuple[float, ...] = (0.82, 0.88, 1.04, 0.96, 1.17, 1.16, 1.19, 1.05, 1.01, 0.98, 0.97, 0.90)
# Monday .. Sunday: a little more at weekends.
WEEKDAY_FACTORS: tuple[float, ...] = (0.95, 0.94, 0.95, 0.97, 1.04, 1.08, 1.07)
# Hour of day the report is made (0 .. 23): afternoons and evenings.
HOUR_WEIGHTS: tuple[int, ...] = (
    3, 2, 2, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 7, 8, 8, 9, 9, 9, 8, 7, 6, 5, 4,
)


@dataclass(frozen=True)
class TriggerEvent:
    """A fictional event after which some kinds of hate rise sharply, then fade."""

    name: str
    starts_on: date
    # motive -> extra multiple of the usual rate on the first day (e.g. 6.0 = seven times usual).
    surge: dict[str, float]
    half_life_days: float
    lasts_days: int
    online_share: float = 0.0


def trigger_events(first_day: date) -> tuple[TriggerEvent, ...]:
    """Events placed relative to the first day of the three years, so every window has them."""
    from datetime import timedelta

    return (
        TriggerEvent(
            name="International football final (fictional): online racist abuse of players",
            starts_on=first_day + timedelta(days=255),
            surge={"anti_black": 3.0, "race_other": 1.0},
            half_life_days=3.0,
            lasts_days=14,
            online_share=0.55,
        ),
        TriggerEvent(
            name="Disorder after a fictional attack in a coastal town",
            starts_on=first_day + timedelta(days=285),
            surge={"anti_muslim": 5.0, "xenophobic": 2.5, "anti_asian": 1.0},
            half_life_days=6.0,
            lasts_days=35,
            online_share=0.25,
        ),
        # Sized on the MPS figures after October 2023 (DOMAIN.md §8.5): antisemitic offences about
        # 14 times the year before over the first weeks, anti-Muslim about 2.5 to 3.5 times.
        TriggerEvent(
            name="Major international event (fictional conflict overseas)",
            starts_on=first_day + timedelta(days=540),
            surge={"antisemitic": 16.0, "anti_muslim": 4.0},
            half_life_days=20.0,
            lasts_days=90,
            online_share=0.2,
        ),
    )
