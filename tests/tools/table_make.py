"""Strategy-measure tables as a city office keeps them, for the table import's tests: written
with openpyxl (a title row over the head, merged theme and goal cells, the seeds' own head
spellings, an unknown column, percentages as numbers and as text), the bold statement inside a
goal cell patched in as a rich string (openpyxl 3.0 writes none), and their texts from the
seeds (002: the 2020 table, forecasts told in words; 003: the 2021 table).  Each maker returns
what the round imported from it must say, field by field (see round_view)."""
import re
import xml.etree.ElementTree as ET
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font

XML_NS = '{http://www.w3.org/XML/1998/namespace}'
MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'

# ---- Rich strings -----------------------------------------------------------------------------


def _esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def richify(path, sheet_no, cells):
    """Replaces cells of the sheet (1-based) with inline rich strings: cells = {ref: [(text,
    bold)]}.  What Excel writes for a cell whose words are partly bold."""
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    name = 'xl/worksheets/sheet%d.xml' % sheet_no
    out = []
    for info, data in parts:
        if info.filename == name:
            xml = data.decode('utf-8')
            for ref, runs in cells.items():
                body = ''.join('<r>%s<t xml:space="preserve">%s</t></r>'
                               % ('<rPr><b/></rPr>' if bold else '', _esc(text))
                               for text, bold in runs)
                pat = re.compile(r'<c r="%s"([^>]*)>.*?</c>' % ref, re.S)
                m = pat.search(xml)
                if m is None:
                    raise ValueError('no cell %s to make rich' % ref)
                attrs = re.sub(r' t="\w+"', '', m.group(1))
                xml = xml[:m.start()] + '<c r="%s"%s t="inlineStr"><is>%s</is></c>' % (
                    ref, attrs, body) + xml[m.end():]
            data = xml.encode('utf-8')
        out.append((info, data))
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for info, data in out:
            z.writestr(info, data)


def _sheet(wb, title, widths):
    ws = wb.active
    ws.title = title
    for i, w in enumerate(widths):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w
    return ws


def _put(ws, row, values, bold=False):
    for col, v in enumerate(values, 1):
        if v is None:
            continue
        c = ws.cell(row=row, column=col, value=v)
        c.alignment = Alignment(wrap_text=True, vertical='top')
        if bold:
            c.font = Font(bold=True)
    return ws


# ---- The 2021 table (seed 003), in Finnish ----------------------------------------------------

GOAL1 = 'Palveluja parannetaan asiakaskokemuksen perusteella'
GOAL1_DESC = ('Kulttuurin ja vapaa-ajan toimiala käyttää yhteisiä välineitä asiakaskokemuksen '
              'arviointiin, parantamiseen ja johtamiseen. Palvelujen parantamisessa hyödynnetään '
              'jatkuvan parantamisen ajatusta, ajankohtaista tietoa ja osallisuutta.')
GOAL2 = ('Koko kaupunki on oppimisen, kulttuuristen kohtaamisten, tekemisen ja '
         'kansalaistoiminnan paikka')
GOAL2_DESC = ('Helsinki on alusta ja kumppani paremman kaupungin ja maailman rakentajille. '
              'Toimiala avaa tilojaan, tietoaan ja välineitään kaupunkilaisten, yhteisöjen ja '
              'yritysten käyttöön.')
GOAL3 = 'Helsingissä on helppoa ja houkuttelevaa lähteä liikkeelle'
GOAL3_DESC = ('Kulttuurin ja vapaa-ajan toimiala edistää toiminnallaan fyysisesti aktiivista ja '
              'kokemusrikasta elämäntapaa. Kaikki syyt lähteä liikkeelle ovat yhtä arvokkaita.')
M1 = ('Tuotetaan ennen valtuustokauden päätymistä konkreettiset kuvaukset palvelujen '
      'tuottamisen strategiasta sekä luodaan yhteiset avustamisen ja palvelutuotannon hankinnan '
      'käytännöt. Mittari: jokaisen palvelukokonaisuuden kuvaukset ovat valmiit ennen '
      'valtuustokauden loppua ja avustamisen ja hankinnan käytännöt on luotu')
M2_TEXT = ('Lasten ja nuorten harrastamisen mahdollisuuksia parannetaan ja lisätään kohdennettua '
           'viestintää harrastusmahdollisuuksista. Mittari: projektissa määritellyt toimenpiteet '
           'on tehty.')
M3_TEXT = ('Vahvistetaan ikäihmisten hyvinvointia ja toimintakykyä parantamalla mahdollisuuksia '
           'liikkumiseen ja liikkeelle lähtöön. Mittari: projektissa määritellyt toimenpiteet on '
           'tehty.')
M4_TEXT = ('Kaikki kulttuurin ja vapaa-ajan toimialan palvelukokonaisuudet osallistuvat Helsinki '
           'Biennaalin toteuttamiseen.')
M5_TEXT = ('Luodaan yhteistyörakenteet kulttuurin ja vapaa-ajan sekä kasvatuksen ja koulutuksen '
           'toimialojen välille.')
C1 = ('Palvelukokonaisuudet ovat parhaillaan työstämässä työnjakokuvauksia. Työnjakokuvaukset '
      'viedään lautakunnalle syksyn 2021 lopulla.')
C3 = 'Kaikki toimenpiteet edistyvät ajallaan.'

HEADS_2021_FI = ['Kaupunkistrategian teema', 'Sitova toiminnan tavoite',
                 'Sitovan toiminnan tavoitteen mittarit', 'Palautusmittari', 'Ennuste 1/2021',
                 'Ennuste 2/2021', 'Ennuste 3/2021', 'Vastuuhenkilö', 'Kommentit',
                 'Mittarin numeerinen ennuste',
                 'Kytkeytyminen kaupunkiyhteisiin\nhankkeisiin ja yhteis-\nsuunnittelun teemoihin',
                 'Riskit']
# seed 001's risks
R1 = ('Työ on laaja ja haastava. Tehtävien resursointi palvelukokonaisuuksissa ja toimialan '
      'johdossa on osin vaikeaa, erityisesti koronapandemian aiheuttamien työn kuormitusten ja '
      'aikaresurssin vuoksi.')
R2 = ('Sekä koronapandemia että hankintalain mukainen julkinen hankinta ovat hidastaneet '
      'projektia.')


def table_2021_fi(path):
    """Seed 003's table with two more measures: a title row and an empty row over the head, a
    column that is none of the table's, a risks column (seed 001's), merged theme and goal
    cells, a bold statement in a goal cell, a goal cell without bold (its first sentence is the statement), a measure cell merged
    over two rows of comments, percentages as numbers and as text, "20 kpl" as a number format
    and "14 / 20 kpl" as text."""
    wb = openpyxl.Workbook()
    ws = _sheet(wb, 'Sitovat tavoitteet 2021', [22, 40, 45, 12, 14, 14, 14, 16, 40, 14, 30, 30])
    ws.cell(row=1, column=1, value='Kulttuurin ja vapaa-ajan toimialan sitovat toiminnan '
                                   'tavoitteet 2021').font = Font(bold=True, size=14)
    ws.merge_cells('A1:L1')
    _put(ws, 3, HEADS_2021_FI, bold=True)
    rows = [
        ['Maailman toimivin kaupunki', GOAL1, M1, 'Ei', 'Toteutuu', 'Toteutuu', 'Toteutuu',
         'Tarja Loikkanen', C1, 1, 'Asukaskokemus ja asiakastyytyväisyys\nPalvelujen '
         'saavutettavuus\nOsallisuus\nElävät kaupunginosat', R1],
        ['Kestävän kasvun turvaaminen on kaupungin keskeisin tehtävä', GOAL2 + '. ' + GOAL2_DESC,
         'Harrastaminen: ' + M2_TEXT, 'Kyllä', 'Toteutuu', 'Epävarma – hankinnat viivästyneet',
         'toteutuu', None, None, '100 %', '• Palvelujen saavutettavuus\n• Harrastustoiminta\n'
         '• Strategia nuorten syrjäytymishaasteen ratkaisemiseen', R2],
        ['Uudistuvat palvelut', GOAL3, 'Ikäihmiset: ' + M3_TEXT, 'Kyllä', 'Toteutuu',
         'Toteutuu', 'Tavoite saavutettu. Palvelutoripilotti toteutettiin lokakuussa.', None, C3,
         20, 'Hyvinvoinnin ja terveyden edistäminen\nLiikkumisohjelma'],
        [None, None, 'Biennaali: ' + M4_TEXT, 'Ei', 'Epävarma', 'Ei toteudu\nBiennaali siirtyy '
         'vuodelle 2023.', 'Ei toteudu', None, None, '14 / 20 kpl', 'Merellinen strategia'],
        ['Uudistuvat palvelut', None, 'Palvelutarjotin: ' + M5_TEXT, 'Ei', None, 'Ei raportoitu',
         'Toteutuu', None, 'Toimintamalli on kuvattu.', 0.725, 'Liikkumisohjelma'],
        [None, None, None, None, None, None, None, None, 'Digitaalinen alusta julkaistaan '
         'syksyllä.', None, None],
    ]
    for i, r in enumerate(rows):
        _put(ws, 4 + i, r)
    ws['J4'].number_format = '0 %'
    ws['J6'].number_format = '0" kpl"'
    ws['J8'].number_format = '0.0 %'
    ws.merge_cells('A6:A7')
    ws.merge_cells('B6:B7')
    ws.merge_cells('C8:C9')
    ws.merge_cells('D8:D9')
    wb.save(path)
    richify(path, 1, {'B4': [(GOAL1, True), ('\n' + GOAL1_DESC, False)],
                      'B6': [(GOAL3, True), ('\n' + GOAL3_DESC, False)]})
    return {
        'year': 2021, 'number': 3, 'lang': 'fi', 'division': 'Kulttuurin ja vapaa-ajan toimiala',
        'goals': [
            {'theme': 'Maailman toimivin kaupunki', 'statement': GOAL1,
             'description': [GOAL1_DESC],
             'measures': [
                 {'name': 'Tuotetaan ennen valtuustokauden päätymistä konkreettiset',
                  'text': [M1], 'recovery': False,
                  'forecasts': {1: ('on-track', []), 2: ('on-track', []), 3: ('on-track', [])},
                  'value': (100, '%'), 'comment': [C1], 'risks': [R1],
                  'links': ['Asukaskokemus ja asiakastyytyväisyys', 'Palvelujen saavutettavuus',
                            'Osallisuus', 'Elävät kaupunginosat']}]},
            {'theme': 'Kestävän kasvun turvaaminen on kaupungin keskeisin tehtävä',
             'statement': GOAL2, 'description': [GOAL2_DESC],
             'measures': [
                 {'name': 'Harrastaminen', 'text': [M2_TEXT], 'recovery': True,
                  'forecasts': {1: ('on-track', []), 2: ('at-risk', ['hankinnat viivästyneet']),
                                3: ('on-track', [])},
                  'value': (100, '%'), 'comment': [], 'risks': [R2],
                  'links': ['Palvelujen saavutettavuus', 'Harrastustoiminta',
                            'Strategia nuorten syrjäytymishaasteen ratkaisemiseen']}]},
            {'theme': 'Uudistuvat palvelut', 'statement': GOAL3, 'description': [GOAL3_DESC],
             'measures': [
                 {'name': 'Ikäihmiset', 'text': [M3_TEXT], 'recovery': True,
                  'forecasts': {1: ('on-track', []), 2: ('on-track', []),
                                3: ('achieved', ['Palvelutoripilotti toteutettiin lokakuussa.'])},
                  'value': (20, 'kpl'), 'comment': [C3],
                  'links': ['Hyvinvoinnin ja terveyden edistäminen', 'Liikkumisohjelma']},
                 {'name': 'Biennaali', 'text': [M4_TEXT], 'recovery': False,
                  'forecasts': {1: ('at-risk', []),
                                2: ('off-track', ['Biennaali siirtyy vuodelle 2023.']),
                                3: ('off-track', [])},
                  'value': (14, 'kpl'), 'level': (20, 'kpl'), 'comment': [],
                  'links': ['Merellinen strategia']},
                 {'name': 'Palvelutarjotin', 'text': [M5_TEXT], 'recovery': False,
                  'forecasts': {3: ('on-track', [])}, 'value': (72.5, '%'),
                  'comment': ['Toimintamalli on kuvattu.',
                              'Digitaalinen alusta julkaistaan syksyllä.'],
                  'links': ['Liikkumisohjelma']}]},
        ],
    }


# ---- The 2020 table (seed 002): forecasts told in words ---------------------------------------

D1 = ('Digitaalisaatio: Parannetaan toimintatapoja, tuottavuutta ja asiakaskokemusta '
      'edistämällä digitalisaatiota sekä tietoperusteista päätöksentekoa.')
D1_F1 = ('Arvio on, että Teams-järjestelmän käyttöönoton tavoite tulee vuonna 2020 toteutumaan. '
         'Koronatilanne on aiheuttanut etätyöskentelyn merkittävän lisääntymisen.')
D1_F2 = ('Mökkien, huviloiden, saunojen ja tenniskenttien myynti Varaamon kautta aloitettu (20 '
         'kpl tiloja). Tavoite on saavutettu.')
D2 = ('Me ja muut: Palvelukokonaisuuksissa kuvataan, ketkä muut tuottavat oman sektorin '
      'palveluja tai toimintaa ja mikä on kulttuurin ja vapaa-ajan toimialan tehtävä '
      'palvelutuottajana.')
D2_F1 = ('Protoomon kanssa on aloitettu tavoitetilan täsmentäminen. Ennuste on, että tavoite '
         'saavutetaan.')
D2_F2 = ('Vaikka työ etenee, tavoitetta palvelustrategian laatimisesta vuoden 2020 aikana ei '
         'tulla saavuttamaan koronasta johtuneen lisätyön ja poikkeusjärjestelyjen vuoksi')
D3 = ('Liikkumisohjelma: Parannetaan pienten lasten, nuorten sekä ikäihmisten mahdollisuuksia '
      'liikkumiseen kaupunginhallituksen hyväksymän liikkumisohjelman mukaisesti.')
D3_F1 = ('Ikäihmiset: Palvelutorien malli ja toteutuneet tapahtumat (4). Tavoite ikäihmisten '
         'palvelutorien (4kpl) on toteutumassa pienellä varauksella.')
D3_F2 = ('Tavoite ikäihmisten palvelutorien (4kpl) toteutumisesta vuonna 2021 ei ole '
         'toteutumassa.')
D3_F3 = ('Tavoite ”Kaikissa nuorisotyöyksiköissä on toteutettu nuorten liikkumisesta tehdyn '
         'selvityksen mukaan vähintään yksi toimenpide” on edennyt hitaasti maaliskuun jälkeen. '
         'Tavoitteen toteutuminen on epävarma.')
D4 = ('Koko kaupunki oppimisympäristönä: Luodaan yhteistyörakenteet kulttuurin ja vapaa-ajan '
      'sekä kasvatuksen ja koulutuksen toimialojen välille.')
D4_F1 = ('Nykyisten toimintatapojen pohjalta ollaan aloitettu uuden toimintamallin jäsentäminen '
         'kuvassa. Koronatilanne viivästyttänee hankkeen etenemistä.')
D4_F2 = ('Tavoite toimintamallin kuvaamisesta on toteutumassa, digitaalisointiin '
         'valmistaudutaan. Tavoite ennustetaan toteutuvan.')
D5 = ('BIENNAALI: Helsinki Biennaali: Kaikki kulttuurin ja vapaa-ajan toimialan '
      'palvelukokonaisuudet osallistuvat Helsinki Biennaalin toteuttamiseen.')
D5_F2 = 'Helsinki Biennaali päätettiin siirtää vuodelle 2021.\nTavoite ei toteudu.'
G20_1 = 'Palveluja parannetaan asiakaskokemuksen perusteella'
G20_1D = ('Kulttuurin ja vapaa-ajan toimiala käyttää yhteisiä välineitä asiakaskokemuksen '
          'arviointiin, parantamiseen ja johtamiseen.')

HEADS_2020 = ['Kaupunkistrategian teema', 'Sitova toiminnan tavoite',
              'Sitovan toiminnan tavoitteen \nmittarit', 'Ennuste 1/2020', 'Ennuste 2/2020',
              'Ennuste 3/2020',
              'Kytkeytyminen kaupunkiyhteisiin \nhankkeisiin ja yhteissuunnittelun \nteemoihin']


def table_2020_fi(path):
    """Seed 002's table, 2020 style: the head on the first row with its cells broken in lines,
    forecasts as narrative texts (the status read from their words; one that says none), goal
    cells without bold (their first line is the statement), measure names before a colon."""
    wb = openpyxl.Workbook()
    ws = _sheet(wb, 'Taulukko1', [20, 36, 40, 40, 40, 40, 30])
    _put(ws, 1, HEADS_2020, bold=True)
    rows = [
        ['Maailman toimivin kaupunki', G20_1 + '\n' + G20_1D, D1, D1_F1, D1_F2, None,
         'Asukaskokemus ja asiakastyytyväisyys\nPalvelujen saavutettavuus'],
        ['Kestävän kasvun turvaaminen on kaupungin keskeisin tehtävä',
         GOAL2 + '\n' + 'Helsinki on alusta ja kumppani paremman kaupungin ja maailman '
         'rakentajille.', D2, D2_F1, D2_F2, None, 'Osallisuus'],
        ['Uudistuvat palvelut', GOAL3 + '\n' + GOAL3_DESC, D3, D3_F1, D3_F2, D3_F3,
         'Hyvinvoinnin ja terveyden edistäminen\nLiikkumisohjelma'],
        [None, None, D4, D4_F1, D4_F2, None, None],
        [None, None, D5, None, D5_F2, None, 'Merellinen strategia'],
    ]
    for i, r in enumerate(rows):
        _put(ws, 2 + i, r)
    ws.merge_cells('A4:A6')
    ws.merge_cells('B4:B6')
    wb.save(path)
    return {
        'year': 2020, 'number': 3, 'lang': 'fi',
        'goals': [
            {'theme': 'Maailman toimivin kaupunki', 'statement': G20_1, 'description': [G20_1D],
             'measures': [
                 {'name': 'Digitaalisaatio', 'text': [D1.split(': ', 1)[1]], 'recovery': False,
                  'forecasts': {1: ('on-track', [D1_F1]), 2: ('achieved', [D1_F2])},
                  'comment': [],
                  'links': ['Asukaskokemus ja asiakastyytyväisyys',
                            'Palvelujen saavutettavuus']}]},
            {'theme': 'Kestävän kasvun turvaaminen on kaupungin keskeisin tehtävä',
             'statement': GOAL2, 'description': ['Helsinki on alusta ja kumppani paremman '
                                                 'kaupungin ja maailman rakentajille.'],
             'measures': [
                 {'name': 'Me ja muut', 'text': [D2.split(': ', 1)[1]], 'recovery': False,
                  'forecasts': {1: ('on-track', [D2_F1]), 2: ('off-track', [D2_F2])},
                  'comment': [], 'links': ['Osallisuus']}]},
            {'theme': 'Uudistuvat palvelut', 'statement': GOAL3, 'description': [GOAL3_DESC],
             'measures': [
                 {'name': 'Liikkumisohjelma', 'text': [D3.split(': ', 1)[1]], 'recovery': False,
                  'forecasts': {1: ('at-risk', [D3_F1]), 2: ('off-track', [D3_F2]),
                                3: ('at-risk', [D3_F3])},
                  'comment': [],
                  'links': ['Hyvinvoinnin ja terveyden edistäminen', 'Liikkumisohjelma']},
                 {'name': 'Koko kaupunki oppimisympäristönä', 'text': [D4.split(': ', 1)[1]],
                  'recovery': False, 'forecasts': {2: ('on-track', [D4_F2])}, 'comment': [],
                  'links': []},
                 {'name': 'BIENNAALI', 'text': [D5.split(': ', 1)[1]], 'recovery': False,
                  'forecasts': {2: ('off-track', D5_F2.split('\n'))}, 'comment': [],
                  'links': ['Merellinen strategia']}]},
        ],
        # the cell that names no status: where, and words of it that its comment keeps
        'unknown': ('Taulukko1!D5', 'Koronatilanne viivästyttänee'),
        'inferred': 9,
    }


# ---- Tables in Swedish and English ------------------------------------------------------------

def table_sv(path):
    """A table with the Swedish heads of our own workbook, its status words and Ja / Nej, under
    a title that names the division."""
    wb = openpyxl.Workbook()
    ws = _sheet(wb, 'Mål', [20, 36, 40, 12, 16, 16, 30, 14, 30])
    ws['A1'] = 'Kultur- och fritidssektorn: bindande verksamhetsmål 2021'
    _put(ws, 2, ['Tema i stadsstrategin', 'Bindande verksamhetsmål',
                 'Mätare för det bindande verksamhetsmålet', 'Återhämtningsmätare',
                 'Prognos 1/2021', 'Prognos 2/2021', 'Kommentarer', 'Mätarens numeriska prognos',
                 'Koppling till stadsgemensamma projekt och teman för samplanering'], bold=True)
    _put(ws, 3, ['Den bäst fungerande staden', 'Tjänsterna förbättras utifrån kundupplevelsen\n'
                 'Sektorn använder gemensamma verktyg.', 'Digitalisering: Verksamheten förbättras '
                 'genom digitalisering.', 'Nej', 'Uppnås', 'Osäkert\nUpphandlingen är försenad.',
                 'Arbetet fortsätter.', '80 %', 'Delaktighet'])
    _put(ws, 4, ['Den bäst fungerande staden', 'Tjänsterna förbättras utifrån kundupplevelsen\n'
                 'Sektorn använder gemensamma verktyg.', 'Motion: Fler äldre rör på sig.', 'Ja',
                 'Uppnått', 'Uppnås inte', None, None, 'Delaktighet\nRörelseprogrammet'])
    wb.save(path)
    return {
        'year': 2021, 'number': 2, 'lang': 'sv', 'division': 'Kultur- och fritidssektorn',
        'goals': [
            {'theme': 'Den bäst fungerande staden',
             'statement': 'Tjänsterna förbättras utifrån kundupplevelsen',
             'description': ['Sektorn använder gemensamma verktyg.'],
             'measures': [
                 {'name': 'Digitalisering', 'text': ['Verksamheten förbättras genom '
                                                     'digitalisering.'],
                  'recovery': False,
                  'forecasts': {1: ('on-track', []),
                                2: ('at-risk', ['Upphandlingen är försenad.'])},
                  'value': (80, '%'), 'comment': ['Arbetet fortsätter.'],
                  'links': ['Delaktighet']},
                 {'name': 'Motion', 'text': ['Fler äldre rör på sig.'], 'recovery': True,
                  'forecasts': {1: ('achieved', []), 2: ('off-track', [])}, 'comment': [],
                  'links': ['Delaktighet', 'Rörelseprogrammet']}]}],
    }


def table_en(path):
    """A table with English heads (no title: the division comes from the options), a forecast
    column of the year left empty, Yes / No."""
    wb = openpyxl.Workbook()
    ws = _sheet(wb, 'Goals', [20, 36, 40, 12, 16, 16, 30])
    _put(ws, 1, ['City strategy theme', 'Binding operational goal',
                 'Measures of the binding operational goal', 'Recovery measure',
                 'Forecast 1/2022', 'Forecast 2/2022', 'Comments', 'Numeric forecast of the measure',
                 'Links to city-wide projects and joint-planning themes'], bold=True)
    _put(ws, 2, ['The most functional city', 'Services are improved\nBy customer experience.',
                 'Digitalisation: Work is made digital.', 'Yes', 'On track. Teams is in use.',
                 None, 'Going well.', 0.5, 'Participation'])
    _put(ws, 3, ['The most functional city', 'Services are improved\nBy customer experience.',
                 'Exercise: More people move.', 'No', 'Not met', None, None, None, None])
    ws['H2'].number_format = '0%'
    wb.save(path)
    return {
        'year': 2022, 'number': 1, 'lang': 'en',
        'goals': [
            {'theme': 'The most functional city', 'statement': 'Services are improved',
             'description': ['By customer experience.'],
             'measures': [
                 {'name': 'Digitalisation', 'text': ['Work is made digital.'], 'recovery': True,
                  'forecasts': {1: ('on-track', ['Teams is in use.'])}, 'value': (50, '%'),
                  'comment': ['Going well.'], 'links': ['Participation']},
                 {'name': 'Exercise', 'text': ['More people move.'], 'recovery': False,
                  'forecasts': {1: ('off-track', [])}, 'comment': [], 'links': []}]}],
    }


def table_without(path, what):
    """A workbook without a table ('table': sheets of other heads, and our own task sheet's),
    or with a table that says no year ('year': no forecast heads, no title; a recovery measure
    under seed 001's head "Palautumis-\nmittari")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if what == 'table':
        ws.title = 'Yhteystiedot'
        _put(ws, 1, ['Nimi', 'Osoite', 'Puhelin'], bold=True)
        _put(ws, 2, ['Tarja Loikkanen', 'Helsinki', '09 123'])
        ws2 = wb.create_sheet('Tehtävät')
        _put(ws2, 1, ['Kaupunkistrategian teema', 'Sitova toiminnan tavoite', 'Mittari',
                      'Ositettu tavoite', 'Tehtävä', 'Tila'], bold=True)
        _put(ws2, 2, ['Uudistuvat palvelut', GOAL3, 'Biennaali', 'Teokset', 'Rakentaminen',
                      'TEHTY'])
    else:
        # seed 001's head broken at a hyphen, a head in capitals
        ws.title = 'Tavoitteet'
        _put(ws, 1, ['Kaupunkistrategian teema', 'Sitova toiminnan tavoite',
                     'Sitovan toiminnan tavoitteen mittarit', 'Palautumis-\nmittari',
                     'KOMMENTIT'], bold=True)
        _put(ws, 2, ['Uudistuvat palvelut', GOAL3, 'Biennaali: ' + M4_TEXT, 'Kyllä',
                     'Hyvin menee.'])
    wb.save(path)


# ---- Reading a round file ---------------------------------------------------------------------

def styled(el, skip=('ul', 'ol')):
    """An inline element's text with its styles, in one canonical form: "{b}word{} word", white
    space folded (a space has no style of its own)."""
    chars = []

    def walk(e, style):
        if e.text:
            chars.extend((ch, style) for ch in e.text)
        for c in e:
            if c.tag in skip or not isinstance(c.tag, str):
                if c.tail:
                    chars.extend((ch, style) for ch in c.tail)
                continue
            st = style | ({'b'} if c.tag == 'b' else {'i'} if c.tag == 'i' else set())
            walk(c, frozenset(st))
            if c.tail:
                chars.extend((ch, style) for ch in c.tail)
    walk(el, frozenset())
    out, cur, space = [], frozenset(), False
    for ch, st in chars:
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(' ')
            space = False
        if st != cur:
            out.append('{%s}' % ''.join(sorted(st)))
            cur = st
        out.append(ch)
    return ''.join(out)


def plain(s):
    return re.sub(r'\{[a-z]*\}', '', s)


def block_lines(el, styles=False):
    """An element of blocks as the lines of a cell: a paragraph a line, list items behind
    "• " or "1. ", two spaces a level."""
    if el is None:
        return []
    f = styled if styles else (lambda e: plain(styled(e)))
    kids = [c for c in el if isinstance(c.tag, str)]
    if not any(c.tag in ('p', 'ul', 'ol') for c in kids):
        t = f(el)
        return [t] if t else []
    lines = []

    def lst(e, level):
        for n, li in enumerate((c for c in e if c.tag == 'li'), 1):
            lines.append('  ' * level + ('• ' if e.tag == 'ul' else '%d. ' % n) + f(li))
            for sub in li:
                if sub.tag in ('ul', 'ol'):
                    lst(sub, level + 1)
    for c in kids:
        if c.tag == 'p':
            t = f(c)
            if t:
                lines.append(t)
        elif c.tag in ('ul', 'ol'):
            lst(c, 0)
    return lines


def round_view(path, styles=False):
    """What a round file says, by name rather than by id: its round, and its goals in order,
    each with its theme's name, statement, description and measures."""
    tree = ET.parse(path, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    root = tree.getroot()
    themes = {t.get('id'): plain(styled(t)) for t in root.iter('theme')}
    progs = {p.get('id'): (p.get('kind'), plain(styled(p))) for p in root.iter('programme')}
    number = int(root.get('number'))
    goals = []
    for g in root.findall('goal'):
        measures = []
        for m in g.findall('measure'):
            fcs = {}
            value = None
            for f in m.findall('forecast'):
                r = int(f.get('round'))
                fcs[r] = (f.get('status'), block_lines(f, styles))
                if r == number and f.get('value') is not None:
                    value = (float(f.get('value')), f.get('unit'))
            lv = m.find('level')
            measures.append({
                'id': m.get('id'),
                'name': plain(styled(m.find('name'))),
                'text': block_lines(m.find('text'), styles),
                'recovery': m.get('recovery') == 'true',
                'forecasts': fcs,
                'value': value,
                'level': (float(lv.get('value')), lv.get('unit')) if lv is not None else None,
                'comment': block_lines(m.find('comment'), styles),
                'risks': block_lines(m.find('risks'), styles),
                'links': [progs[ln.get('ref')][1] for ln in m.findall('link')],
                'link_kinds': [progs[ln.get('ref')][0] for ln in m.findall('link')],
            })
        goals.append({'theme': themes[g.get('theme')],
                      'statement': plain(styled(g.find('statement'))),
                      'description': block_lines(g.find('description'), styles),
                      'measures': measures})
    org = root.find('organization')
    div = org.find('division')
    return {
        'year': int(root.get('year')), 'number': number, 'date': root.get('date'),
        'lang': root.get(XML_NS + 'lang'), 'city': plain(styled(org.find('city'))),
        'division': plain(styled(div)), 'short': div.get('short'),
        'goals': goals, 'programmes': progs, 'root': root,
    }


# ---- A table with every oddity a hand-kept table has ------------------------------------------

ODD_HEADS = ['Kaupunkistrategian teema', 'Sitova toiminnan tavoite',
             'Sitovan toiminnan tavoitteen mittarit', 'Palautumismittari', 'Ennuste 1/2024',
             'Kommentit', 'Mittarin numeerinen ennuste', 'Kytkeytyminen']


def table_odd(path, head_row=20):
    """The head in the 20th row (the last one looked in; head_row=21 puts it past), a hidden
    sheet with a table of its own before it, control characters (Excel's _x0001_) in cells, a
    measure cell of a colon alone and one of a number, a word that is no recovery word, a
    forecast of a dash, a value in a date format and one in words, a link named twice, the head
    repeated in the rows, a measure cell merged over two rows that differ, a row of a comment
    alone, a theme and a goal on rows of their own, a goal with no measure under it, a forecast
    not reported with a text after it."""
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = 'Vanha'
    _put(hidden, 1, ODD_HEADS, bold=True)
    _put(hidden, 2, ['Vanha teema', 'Vanha tavoite', 'Vanha mittari', 'Ei', 'Toteutuu'])
    hidden.sheet_state = 'hidden'
    ws = wb.create_sheet('Taulukko')
    h = head_row
    _put(ws, h, ODD_HEADS, bold=True)
    _put(ws, h + 1, ['X', 'Tavoite yksi', ':', 'kenties', '-', None, 45000, 'X'])
    ws.cell(row=h + 1, column=7).number_format = 'yyyy-mm-dd'
    _put(ws, h + 2, ODD_HEADS)
    _put(ws, h + 3, [None, None, 12345, None, 'Toteutuu', None, 'noin 50'])
    _put(ws, h + 4, [None, None, 'Yhdistetty: mittari kahdella rivillä', 'Ei', 'Epävarma'])
    _put(ws, h + 5, [None, None, None, None, 'Toteutuu'])
    ws.merge_cells('C%d:C%d' % (h + 4, h + 5))
    _put(ws, h + 6, [None, None, None, None, None, 'Kommentti omalla rivillään.'])
    _put(ws, h + 7, ['Uusi teema'])
    _put(ws, h + 8, [None, 'Uusi tavoite'])
    _put(ws, h + 9, [None, None, 'Kolmas: mittari', 'Kyllä', 'Toteutunut'])
    _put(ws, h + 10, [None, 'Orpo tavoite'])
    _put(ws, h + 11, [None, 'Toinen tavoite', 'Neljäs: mittari', 'Ei',
                      'Ei raportoitu – tiedot puuttuvat'])
    wb.save(path)
    richify(path, 2, {'A%d' % (h + 1): [('Teema_x0001_ yksi', False)],
                      'H%d' % (h + 1): [('Ohjelma_x0002_ A\n\n• Ohjelma B;\nOhjelma B', False)]})
    return h
