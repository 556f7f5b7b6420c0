# The terminal's words in Italian: the default language, and the one every other falls back to.
#
# Message ids are the keys of src/ui/i18n.rs (`T`) in kebab-case: T::CallNext is call-next.
# Names of values carry their group: queue-, channel-, sex-, priority-, state-, role-, audit-.
# A new language is a copy of this file named by its language code (fr.ftl, ar.ftl): every id
# here must be there too, or the tests fail.

# The language's own name, shown on the button that switches to it.
language-name = Italiano

## The window and its tabs

reception = Accoglienza
desk = Sportello
tally = Riepilogo
open-display = Schermo sala
chime-on = Suono: sì
chime-off = Suono: no
dark-theme = Tema scuro
light-theme = Tema chiaro
opening = Apertura del registro…
passphrase-title = Registro cifrato
passphrase-note = Scrivi la frase segreta del registro (chiedila all'amministratore).

## Records: the person's rights, merges, the audit trail

records = Registro
person-requests = Diritti della persona
export-data = Esporta i dati (JSON)
erase-data = Cancella i dati personali…
confirm-erase = Conferma: cancella per sempre
cancel = Annulla
merge-records = Unisci due schede
merge = Unisci
undo-merge = Annulla unione n.
audit-trail = Registro delle attività
show = Mostra
erased = dati personali cancellati; i conteggi restano
merged-number = unione n.
merge-undone = Annullata l'unione n.

## Sign-in, the lock, staff accounts

first-admin-title = Primo avvio: account amministratore
first-admin-note = L'amministratore crea poi gli account del personale. Password di almeno 8 caratteri.
sign-in-title = Accesso del personale
locked-title = Terminale bloccato
locked-note = Bloccato per inattività o con Ctrl+L. La password sblocca; nulla è andato perso.
new-password-title = Scegli una nuova password
new-password-note = La password è stata reimpostata da un amministratore.
wall-screen-title = Schermo sala
wall-screen-note = Questo PC è lo schermo della sala d'attesa. Un amministratore entra per riportarlo a terminale; Esc torna allo schermo.
wall-screen-admin-only = Solo un amministratore può riportare questo PC a terminale
staff-name = Nome utente
password = Password
repeat-password = Ripeti la password
create-admin = Crea amministratore
unlock = Sblocca
save-password = Salva password
sign-in = Entra
someone-else = Entra come un altro utente
staff-accounts = Account del personale
create-account = Crea account
reset-note = Per reimpostare una password dimenticata: scrivi una password provvisoria qui sopra e premi Reimposta; andrà cambiata al primo accesso.
account-locked = bloccato (6 tentativi)
must-change = deve cambiare password
reset-password = Reimposta password
change-role = Assegna ruolo scelto
idle-lock-minutes = Blocco dopo minuti di inattività
save = Salva
staff = Personale
sign-out = Esci
lock-now = Blocca (Ctrl+L)
backup-failed = Il backup di oggi non è stato scritto
crash-notice = Il terminale si era chiuso per un errore interno e si è riavviato. Gli accessi già confermati sono salvati. Dettagli
server-away = Server non raggiungibile, nuovo tentativo…

## Reception

family-name = Cognome
given-name = Nome
birth-date = Data di nascita
date-hint = AAAA-MM-GG
sex = Sesso
country = Paese di provenienza
country-hint = Scrivi per cercare…
languages = Lingue parlate
languages-hint = codici, es. ar, bn, es
sai-guest = Ospite SAI
channel = Canale
service = Servizio richiesto
priority = Priorità
no-priority = Nessuna
proposed-queue = Coda proposta
because-sai = ospite SAI
because-not-sai = non ospite SAI
override-queue = Cambia coda
keep-proposed = Coda proposta
override-reason = Motivo del cambio (obbligatorio)
register = Registra (Invio)
registering = Registrazione…
clear = Svuota (Esc)
first-access = PRIMO ACCESSO
returning = Già registrato
candidates = Possibili corrispondenze
likely = probabile
no-candidates = Nessuna corrispondenza in archivio
confirm-by-asking = Conferma chiedendo la data di nascita
use-candidate = È questa persona
not-this-person = Non è questa persona
issued-ticket = Biglietto
estimated-wait = Attesa stimata
no-desk-open = nessuno sportello aperto
recent-accesses = Accessi di oggi
no-accesses-yet = Ancora nessun accesso oggi
after-hours = Fuori orario di accesso libero: registrare solo appuntamenti
public-holiday = Festivo
closing-soon = Chiusura a breve: il colloquio potrebbe non iniziare oggi

## Desk

desk-label = Nome dello sportello
finish-current-first = Concludere prima il colloquio in corso
desk-label-example = Sportello 1
queues-served = Code servite
my-languages = Le mie lingue
call-next = Chiama il prossimo (F5)
recall = Richiama (F6)
start = Inizia colloquio (F7)
finish = Concluso (F8)
no-show = Non presente (F9)
transfer = Trasferisci
transfer-to = Trasferisci a
now-serving = Allo sportello
nobody-at-desk = Nessuno allo sportello
nobody-waiting = Nessuno in attesa
waiting-list = In attesa
speaks-language = parla una tua lingua

## Tally

today = Oggi
accesses = Accessi
first-time-share = Primi accessi (spontanei)
new-visitors = Nuovi utenti
unique-visitors = Persone
waiting = In attesa
at-desk = Allo sportello
served = Serviti
no-shows = Non presenti
average-wait = Attesa media
longest-wait = Attesa massima
arrivals-per-hour = Arrivi per ora
per-service = Per servizio
range = Periodo
from = Dal
to = Al
compute = Calcola
export-csv = Esporta CSV
exported-to = Esportato in
monthly-accesses = Accessi per mese
average-monthly = Media mensile
top-services = Servizi più richiesti
top-countries = Paesi principali
unknown = non indicato

## Shared

dismiss = Chiudi
visitor = Persona
last-calls = Ultime chiamate
queue = Coda

## Counts. Italian and English use the CLDR plural categories one and other.

waiting-count =
    { $count ->
        [one] { $count } persona in attesa
       *[other] { $count } persone in attesa
    }
estimated-wait-minutes =
    Attesa stimata ~{ $minutes } { $minutes ->
        [one] minuto
       *[other] minuti
    }
waited-minutes =
    { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minuti
    } di attesa
access-count =
    { $count ->
        [one] { $count } accesso
       *[other] { $count } accessi
    }
minutes-short = { $minutes } min

## Queues, channels, sex, priorities, ticket states

queue-sai = SAI
queue-general = Generale
channel-walk-in = Accesso libero
channel-appointment = Appuntamento
sex-f = Donna
sex-m = Uomo
sex-x = X
sex-unknown = Non indicato
priority-minor = Minore
priority-pregnancy = Gravidanza
priority-disability = Disabilità
priority-illness = Malattia
priority-elderly = Anziano
state-waiting = in attesa
state-called = chiamato
state-in-service = in colloquio
state-done = concluso
state-no-show = non presente
state-transferred = trasferito
state-cancelled = annullato

## Staff roles

role-reception = Accoglienza
role-mediator = Mediatore
role-coordinator = Coordinatore
role-admin = Amministratore
role-booking = Prenotazioni (contact center)
role-wall-screen = Schermo sala
role-system = Sistema (riga di comando)

## Audit trail actions (the codes of src/domain/audit.rs)

audit-sign-in = Entrata
audit-sign-out = Uscita
audit-sign-in-failed = Entrata non riuscita
audit-lock = Terminale bloccato
audit-search = Ricerca
audit-open-card = Scheda aperta
audit-create = Registrazione
audit-update = Modifica
audit-merge = Unione di schede
audit-undo-merge = Unione annullata
audit-export = Esportazione
audit-erase = Cancellazione
audit-staff-create = Nuovo account
audit-role-change = Cambio di ruolo
audit-password-reset = Password reimpostata
audit-password-change = Password cambiata
audit-purge = Eliminazione per scadenza
audit-backup = Backup
audit-restore = Ripristino
audit-import = Importazione
audit-report = Rapporto

## Keyboard, the desk's set-up, and errors in the staff's words

change-desk = Cambia sportello
save-desk = Salva (Invio)
desk-setup-note = Quale sportello è questo PC? Resta impostato anche dopo l'uscita e al riavvio.
set-desk-first = Imposta prima lo sportello di questo PC
err-required = campo obbligatorio
err-choose-one = sceglierne almeno una
err-too-long = troppo lungo (al massimo { $max } caratteri)
err-too-short = troppo corta (almeno { $min } caratteri)
err-no-letter = non contiene lettere
err-name-char = contiene «{ $char }», che non fa parte di un nome
err-invisible = contiene un carattere invisibile o di controllo
err-not-a-date = non è una data (scrivere GG/MM/AAAA)
err-future = è nel futuro
err-before1900 = è prima del 1900
err-country = paese sconosciuto
err-language = «{ $code }» non è un codice di lingua (es. ar, bn, en)
err-phone = non è un numero di telefono
err-only-spaces = contiene solo spazi
err-mismatch = le due password non coincidono
err-not-chosen = scegliere dall'elenco
err-busy = Il registro è occupato da un altro terminale: riprovare
err-sign-in = Nome o password errati
err-account-locked = Account bloccato dopo { $failures } tentativi falliti, fino alle { $until }; un amministratore può reimpostare la password
err-forbidden = Il proprio ruolo non permette questa operazione
err-read-only = Il registro è in sola lettura: non è stato salvato nulla
err-disk-full = Il disco è pieno: non è stato salvato nulla; liberare spazio e riprovare
err-write-failed = Il disco ha rifiutato la scrittura: non è stato salvato nulla; controllare il disco e riprovare
err-read-failed = Il disco non si legge: controllare il disco e riprovare
err-not-found = Non trovato
err-transition = Non possibile nello stato attuale del biglietto
err-technical = Errore del registro; per l'assistenza
larger-text = Testo grande
candidate-keys = ↓ ↑ per scegliere, Invio per confermare
normal-text = Testo normale
cancelled = Annullati
err-range-order = L'inizio del periodo è dopo la fine
err-not-a-number = non è un numero
err-out-of-range = da { $min } a { $max }

## Printed tickets and spoken calls
voice-on = Voce: sì
voice-off = Voce: no
reprint = Ristampa
not-printed = non stampato: { $reason }
print-no-printer = questo PC non ha una stampante
print-bad-address = l'indirizzo della stampante non è valido
print-refused = la stampante rifiuta la connessione (accesa? indirizzo giusto?)
print-no-answer = la stampante non risponde (accesa e collegata?)
print-unreachable = la stampante non è raggiungibile in rete
print-closed = la stampante ha chiuso la connessione a metà biglietto
print-paper-out = carta esaurita
print-cover-open = coperchio della stampante aperto
print-offline = stampante non in linea
print-fault = errore della stampante (carta inceppata o taglierina): spegnerla e riaccenderla
print-no-device = stampante non trovata (collegata? permessi?)
print-render = il biglietto non si è potuto comporre

## Why a candidate is proposed (`reason-` and the stable code of `Reason`)

reason-name-same = stesso nome
reason-name-variant = nome in un'altra grafia
reason-name-phonetic = nome che suona uguale
reason-name-script = nome in un'altra scrittura
reason-name-similar = nome simile (errore di battitura)
reason-name-initial = iniziale
reason-name-different = una parte del nome diversa
reason-name-not-typed = una parte del nome non scritta
reason-name-not-on-file = una parte del nome non in archivio
reason-fields-swapped = cognome e nome invertiti
reason-date-impossible = data scritta impossibile
reason-date-exact = stessa data di nascita
reason-date-two-digit-year = anno scritto con due cifre
reason-date-digits-swapped = data con due cifre invertite
reason-date-day-month-swapped = giorno e mese invertiti
reason-date-one-digit = data con una cifra diversa
reason-date-year-one-off = anno diverso di uno
reason-date-year-keystroke = anno con un tasto vicino
reason-date-year-digit = anno con una cifra diversa
reason-date-year-only = stesso anno (solo l'anno)
reason-date-jan-first = stesso anno (1° gennaio come segnaposto)
reason-date-near-year = anno vicino
reason-date-not-typed = data non scritta
reason-date-not-on-file = data non in archivio
reason-date-different = data diversa

## Appointments (issue 14)

appointments = Appuntamenti
agenda-of = Agenda del giorno
previous-day = ◀ PagSu
next-day = PagGiù ▶
filter-agenda = Nome o codice di prenotazione
time = Ora
booking-code-label = Codice
state = Stato
no-bookings = Nessuna prenotazione in questo giorno
check-in = Accetta (Invio)
cancel-booking = Annulla prenotazione (F8)
confirm-cancel-booking = Premere di nuovo F8 per annullare
reschedule = Sposta (F6)
moving = Spostamento di
new-booking = Nuova prenotazione
free-slots = Prossimi orari liberi
no-free-slots = Nessun orario libero entro l'orizzonte di prenotazione
phone = Telefono
visitor-code-optional = Codice visitatore (se già registrato)
booked-via-label = Prenotato tramite
book = Prenota (Invio)
confirmation = Conferma da leggere o incollare in una email
confirmation-language = Lingua della conferma
copy = Copia
copied = Copiato negli appunti
checked-in-late = Arrivo oltre la tolleranza: servito come accesso spontaneo
checked-in-on-time = Accettato: in coda come appuntamento
due-next-hour = Appuntamenti nella prossima ora (F2)
none-due = Nessuno
err-code-names = il codice e i nomi non corrispondono a nessun visitatore
booking-refused = Prenotazione rifiutata
slot = Orario
on-file-chosen = Persona in archivio
appointment-keys = F2 prossimo appuntamento · Invio accetta · ↑↓ scegli · F3 nuova prenotazione · F6 sposta · F8 annulla · PagSu/PagGiù giorno
booking-cancelled = Prenotazione annullata
cancel-move = Annulla spostamento
appointment-state-booked = prenotato
appointment-state-checked-in = presentato
appointment-state-no-show = assente
appointment-state-cancelled = annullato
via-contact-center = contact center
via-email = email
via-desk = sportello
err-slot-full = l'orario delle { $time } è pieno; primo libero: { $next }
err-slot-full-day = l'orario delle { $time } è pieno; nessun altro orario libero quel giorno
err-already-booked = questa persona ha già la prenotazione { $code } per questo servizio quel giorno (ore { $time })
name-column = Cognome e nome
