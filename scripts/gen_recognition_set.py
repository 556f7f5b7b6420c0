#!/usr/bin/env python3
"""Generate tests/data/recognition_gen_{roster,queries}.csv: a labelled set for tuning the
matcher (returning visitors typed another way, new visitors sharing names). Seeded, so the
files are reproducible. Its spelling drift follows this project's own assumptions; the blind
holdout set (recognition_holdout_*) is the honest measure."""
import csv, random, datetime

rng = random.Random(20251123)
EG_F = ["Mohamed", "Ahmed", "Hassan", "Ibrahim", "Mahmoud", "Abdel Rahman", "El Sayed", "Mostafa",
        "Farouk", "Saleh", "Youssef", "Abdel Aziz", "Gamal", "Khalil", "Nasser", "Shehata", "Ragab",
        "Abdel Fattah", "El Sharkawy", "Mansour", "Soliman", "Hegazy", "Fouad", "Zaki", "Badawi",
        "El Masry", "Salem", "Ashour", "Morsi", "Tawfik", "Abdel Hamid", "Barakat", "Ezzat", "Hamdy"]
EG_G = ["Mohamed", "Ahmed", "Mahmoud", "Mostafa", "Omar", "Youssef", "Karim", "Khaled", "Amr", "Tarek",
        "Fatma", "Aya", "Mariam", "Nour", "Salma", "Heba", "Asmaa", "Yasmin", "Hany", "Sherif", "Islam",
        "Walid", "Hesham", "Ayman", "Sameh", "Reda", "Doaa", "Rania", "Shaimaa", "Nermeen", "Eman", "Hoda"]
BD_F = ["Hossain", "Rahman", "Islam", "Ahmed", "Uddin", "Akter", "Khan", "Miah", "Chowdhury", "Sarker",
        "Begum", "Alam", "Talukder", "Mollah", "Bhuiyan", "Sikder", "Mondal", "Howlader", "Bepari",
        "Sheikh", "Majumder", "Patwary", "Khandaker", "Biswas", "Shikder", "Dewan"]
BD_G = ["Md Rahim", "Md Karim", "Shahidul", "Rafiqul", "Jahangir", "Mizanur", "Sohel", "Masud",
        "Nasrin", "Shirin", "Taslima", "Sumaiya", "Fatema", "Md Abdul Kader", "Md Shamim", "Anwar",
        "Delwar", "Mostafizur", "Habibur", "Nazmul", "Rubel", "Shahin", "Farhana", "Lipi", "Ruma",
        "Shapla", "Moushumi", "Md Jashim"]
PE_F = ["Quispe", "Flores", "Mamani", "Huamán", "Rojas", "Chávez", "García", "Torres", "Vargas",
        "Ramos", "Castillo", "Mendoza", "Gutiérrez", "Condori", "Ccahuana", "Apaza", "Huanca", "Ticona",
        "Salazar", "Paredes", "Espinoza", "Cárdenas", "Villanueva", "Palomino", "Cusi", "Ayala"]
PE_G = ["José Luis", "Carlos", "Juan", "Jorge", "Miguel", "Víctor", "María", "Rosa", "Carmen",
        "Milagros", "Gladys", "Yesenia", "Wilber", "Edwin", "Percy", "Julio César", "Elmer", "Fredy",
        "Nelly", "Maritza", "Roxana", "Lourdes", "Flor de María", "Janeth"]
OT = [("Diallo", "Mamadou"), ("Ndiaye", "Fatou"), ("Okafor", "Chinedu"), ("Mensah", "Kwame"),
      ("Shevchenko", "Olena"), ("Hoxha", "Ardit"), ("Tesfaye", "Yonas"), ("Mohamud", "Hodan"),
      ("Ahmadi", "Ali Reza"), ("Dela Cruz", "Maricel"), ("Chen", "Wei"), ("Perera", "Nuwan"),
      ("Benali", "Youssef"), ("Trabelsi", "Anis"), ("El Amrani", "Khadija"), ("Butt", "Imran")]
SPELL = {"Mohamed": ["Mohammed", "Muhammad", "Mohamad", "Mohd"], "Ahmed": ["Ahmad", "Ahmet"],
         "Mahmoud": ["Mahmud", "Mahmood"], "Mostafa": ["Mustafa", "Moustafa"], "Youssef": ["Yusuf", "Yousef"],
         "Hossain": ["Hussain", "Hosain", "Hossen"], "Abdel Rahman": ["Abdelrahman", "Abdulrahman", "Abd El Rahman"],
         "El Sayed": ["Elsayed", "Sayed", "El-Sayed"], "Abdel Aziz": ["Abdelaziz", "Abdulaziz"],
         "Md Rahim": ["Mohammad Rahim", "Rahim", "Md. Rahim"], "Md Karim": ["Mohammed Karim", "Karim"],
         "Fatma": ["Fatima", "Fatema"], "Nour": ["Noor", "Nur"], "Chowdhury": ["Choudhury", "Chowdury"],
         "Khaled": ["Khalid"], "Tarek": ["Tariq"], "Miah": ["Mia", "Mian"], "Yasmin": ["Yasmine"],
         "Huamán": ["Huaman", "HUAMAN"], "Chávez": ["Chavez"], "García": ["Garcia"], "José Luis": ["Jose Luis", "Jose-Luis"],
         "María": ["Maria"], "Víctor": ["Victor"], "Gutiérrez": ["Gutierrez"], "Islam": ["Islam"],
         "Md Abdul Kader": ["Abdul Kader", "Mohammad Abdul Kader", "Md Abdul Kadir"]}

def bday(rng):
    return datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 55))

def person(rng):
    r = rng.random()
    if r < 0.35: return rng.choice(EG_F), rng.choice(EG_G)
    if r < 0.6: return rng.choice(BD_F), rng.choice(BD_G)
    if r < 0.85:
        f = rng.choice(PE_F)
        return (f + " " + rng.choice(PE_F)) if rng.random() < 0.7 else f, rng.choice(PE_G)
    return rng.choice(OT)

def typo(w, rng):
    if len(w) < 5: return w
    i = rng.randrange(1, len(w) - 1)
    k = rng.randrange(3)
    if k == 0: return w[:i] + w[i + 1:]            # a letter dropped
    if k == 1: return w[:i] + w[i] + w[i:]         # a letter doubled
    return w[:i] + w[i + 1] + w[i] + w[i + 2:]     # two letters swapped

def respell(name, rng):
    if name in SPELL and rng.random() < 0.8: return rng.choice(SPELL[name])
    return name

roster = []
for i in range(400):
    f, g = person(rng)
    d = None if rng.random() < 0.1 else bday(rng)
    roster.append((f"G{i + 1:04d}", f, g, d))

queries = []
for n in range(250):
    ref, f, g, d = rng.choice(roster)
    notes = []
    qf, qg = respell(f, rng), respell(g, rng)
    if (qf, qg) != (f, g): notes.append("variant")
    if " " in qf and rng.random() < 0.3 and f in sum([[x + " " + y for x in PE_F for y in PE_F]], []):
        qf = qf.split(" ")[0]; notes.append("one surname")
    if rng.random() < 0.25: qf, qg = qg, qf; notes.append("swap")
    if rng.random() < 0.2:
        parts = qf.split(" "); j = rng.randrange(len(parts)); parts[j] = typo(parts[j], rng); qf = " ".join(parts); notes.append("typo")
    if rng.random() < 0.15: qf, qg = qf.upper(), qg.lower(); notes.append("case")
    qd = ""
    if d:
        k = rng.random()
        if k < 0.5: qd = d.isoformat(); notes.append("date exact")
        elif k < 0.62 and d.day <= 12 and d.day != d.month:
            qd = datetime.date(d.year, d.day, d.month).isoformat(); notes.append("date swapped")
        elif k < 0.74: qd = d.replace(year=d.year + rng.choice([-1, 1])).isoformat() if not (d.month == 2 and d.day == 29) else d.isoformat(); notes.append("year off")
        elif k < 0.86: qd = str(d.year); notes.append("year only")
        else: notes.append("no date")
    else:
        notes.append("none on file")
    queries.append((f"R{n + 1:04d}", qf, qg, qd, ref, "+".join(notes)))

for n in range(250):
    k = rng.random()
    if k < 0.45:
        ref, f, g, d = rng.choice(roster)
        nd = (d or bday(rng))
        nd = nd.replace(year=nd.year + rng.choice([-1, 1]) * rng.randrange(4, 20)) if not (nd.month == 2 and nd.day == 29) else nd.replace(day=28, year=nd.year + 7)
        qd = "" if rng.random() < 0.1 else nd.isoformat()
        queries.append((f"N{n + 1:04d}", respell(f, rng), respell(g, rng), qd, "", "new: same name, other date" if qd else "new: same name, no date"))
    elif k < 0.75:
        ref, f, g, d = rng.choice(roster)
        other = person(rng)[1]
        while other == g: other = person(rng)[1]
        queries.append((f"N{n + 1:04d}", f, other, bday(rng).isoformat(), "", "new: same family, other given"))
    else:
        f, g = person(rng)
        queries.append((f"N{n + 1:04d}", f, g, bday(rng).isoformat() if rng.random() < 0.9 else "", "", "new: any"))

# A "new" query that is in fact a roster person (same name and date) is not new: drop it.
on_file = {(f, g, d.isoformat() if d else "") for _, f, g, d in roster}
queries = [q for q in queries if q[4] or (q[1], q[2], q[3]) not in on_file]

with open("tests/data/recognition_gen_roster.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(["ref", "family_name", "given_name", "birth_date"])
    for ref, f, g, d in roster: w.writerow([ref, f, g, d.isoformat() if d else ""])
with open("tests/data/recognition_gen_queries.csv", "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(["query_id", "family_name", "given_name", "birth_date", "expected_ref", "note"])
    w.writerows(queries)
print(len(roster), "roster;", sum(1 for q in queries if q[4]), "returning;", sum(1 for q in queries if not q[4]), "new")
