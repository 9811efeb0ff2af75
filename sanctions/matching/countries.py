"""Country names (as OFAC and people write them) to ISO 3166-1 alpha-2 codes.

Source: ISO 3166-1 short names, plus the spellings used in OFAC list files ("Korea, North",
"Burma", "Congo, Democratic Republic of the", "Palestinian", "West Bank") and common
English alternatives.  Used to compare a customer's country with a listed entry's.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TABLE = """
AF Afghanistan
AL Albania
DZ Algeria
AD Andorra
AO Angola
AG Antigua and Barbuda
AR Argentina
AM Armenia
AW Aruba
AU Australia
AT Austria
AZ Azerbaijan
BS Bahamas|The Bahamas|Bahamas, The
BH Bahrain
BD Bangladesh
BB Barbados
BY Belarus
BE Belgium
BZ Belize
BJ Benin
BM Bermuda
BT Bhutan
BO Bolivia
BA Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia
BW Botswana
BR Brazil
VG British Virgin Islands|Virgin Islands, British
BN Brunei
BG Bulgaria
BF Burkina Faso
MM Burma|Myanmar
BI Burundi
CV Cabo Verde|Cape Verde
KH Cambodia
CM Cameroon
CA Canada
KY Cayman Islands
CF Central African Republic
TD Chad
CL Chile
CN China|People's Republic of China|PRC
CO Colombia
KM Comoros
CG Congo, Republic of the|Republic of the Congo|Congo-Brazzaville
CD Congo, Democratic Republic of the|Democratic Republic of the Congo|DRC|Congo-Kinshasa|Congo
CR Costa Rica
CI Cote d'Ivoire|Ivory Coast
HR Croatia
CU Cuba|Republic of Cuba
CW Curacao
CY Cyprus
CZ Czech Republic|Czechia
DK Denmark
DJ Djibouti
DM Dominica
DO Dominican Republic
EC Ecuador
EG Egypt
SV El Salvador
GQ Equatorial Guinea
ER Eritrea
EE Estonia
SZ Eswatini|Swaziland
ET Ethiopia
FJ Fiji
FI Finland
FR France
GA Gabon
GM Gambia|The Gambia|Gambia, The
GE Georgia
DE Germany
GH Ghana
GI Gibraltar
GR Greece
GD Grenada
GT Guatemala
GG Guernsey
GN Guinea
GW Guinea-Bissau
GY Guyana
HT Haiti
HN Honduras
HK Hong Kong
HU Hungary
IS Iceland
IN India
ID Indonesia
IR Iran|Islamic Republic of Iran|Iran, Islamic Republic of|Persia
IQ Iraq
IE Ireland
IM Isle of Man
IL Israel
IT Italy
JM Jamaica
JP Japan
JE Jersey
JO Jordan
KZ Kazakhstan
KE Kenya
KI Kiribati
KP Korea, North|North Korea|DPRK|Democratic People's Republic of Korea|Korea, Democratic People's Republic of
KR Korea, South|South Korea|Republic of Korea|Korea, Republic of
XK Kosovo
KW Kuwait
KG Kyrgyzstan
LA Laos
LV Latvia
LB Lebanon
LS Lesotho
LR Liberia
LY Libya
LI Liechtenstein
LT Lithuania
LU Luxembourg
MO Macau|Macao
MG Madagascar
MW Malawi
MY Malaysia
MV Maldives
ML Mali
MT Malta
MH Marshall Islands
MR Mauritania
MU Mauritius
MX Mexico
FM Micronesia, Federated States of|Micronesia
MD Moldova
MC Monaco
MN Mongolia
ME Montenegro
MA Morocco
MZ Mozambique
NA Namibia
NP Nepal
NL Netherlands|The Netherlands|Holland
NZ New Zealand
NI Nicaragua
NE Niger
NG Nigeria
MK North Macedonia, The Republic of|North Macedonia|Macedonia
NO Norway
OM Oman
PK Pakistan
PW Palau
PS Palestinian|Palestine|West Bank|Gaza|Palestinian Territories
PA Panama
PG Papua New Guinea
PY Paraguay
PE Peru
PH Philippines
PL Poland
PT Portugal
PR Puerto Rico
QA Qatar
RO Romania
RU Russia|Russian Federation
RW Rwanda
KN Saint Kitts and Nevis|St. Kitts and Nevis
LC Saint Lucia|St. Lucia
VC Saint Vincent and the Grenadines|St. Vincent and the Grenadines
WS Samoa
SM San Marino
ST Sao Tome and Principe
SA Saudi Arabia
SN Senegal
RS Serbia
SC Seychelles
SL Sierra Leone
SG Singapore
SX Sint Maarten
SK Slovakia
SI Slovenia
SB Solomon Islands
SO Somalia
ZA South Africa
SS South Sudan
ES Spain
LK Sri Lanka
SD Sudan
SR Suriname
SE Sweden
CH Switzerland
SY Syria|Syrian Arab Republic
TW Taiwan
TJ Tajikistan
TZ Tanzania
TH Thailand
TL Timor-Leste|East Timor
TG Togo
TO Tonga
TT Trinidad and Tobago
TN Tunisia
TR Turkey|Turkiye
TM Turkmenistan
TC Turks and Caicos Islands
TV Tuvalu
UG Uganda
UA Ukraine
AE United Arab Emirates|UAE
GB United Kingdom|UK|Great Britain|England|Scotland|Wales|Northern Ireland
US United States|USA|United States of America|U.S.A.|U.S.|America
UY Uruguay
UZ Uzbekistan
VU Vanuatu
VA Vatican City|Holy See
VE Venezuela
VN Vietnam|Viet Nam
YE Yemen
ZM Zambia
ZW Zimbabwe
"""


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower().replace("'", "")).strip()


COUNTRY_NAMES: dict[str, str] = {}
NAME_BY_CODE: dict[str, str] = {}
for _line in _TABLE.strip().splitlines():
    _code, _names = _line.split(" ", 1)
    NAME_BY_CODE[_code] = _names.split("|")[0]
    for _name in _names.split("|"):
        COUNTRY_NAMES[_key(_name)] = _code


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO alpha-2 code for a code or a country name, or None when unknown."""
    if not value:
        return None
    stripped = value.strip()
    if len(stripped) == 2 and stripped.upper() in NAME_BY_CODE:
        return stripped.upper()
    return COUNTRY_NAMES.get(_key(stripped))
