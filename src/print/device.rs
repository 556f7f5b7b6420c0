//! Where the stream goes: a network printer (`tcp://HOST:9100`), a USB printer by its ids
//! (`usb:VID:PID`), or a device or file path. Every device answers within [`DEADLINE`]: a
//! printer that is off, unplugged or stuck is reported, never waited for, and a printer that
//! answers status requests is asked first, so paper out or an open cover is said before
//! anything is sent.

use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::PrintError;
use super::escpos::encode;
use super::slip::{Paper, TicketSlip, lines};

/// How long a print may take, from connecting to the last byte sent, before it is reported
/// as failed.
pub const DEADLINE: Duration = Duration::from_secs(2);
/// How long a printer has to answer a status request before it counts as one that never
/// answers (many cheap printers do not).
const STATUS_WAIT: Duration = Duration::from_millis(500);
/// After the last byte, how long to listen for a printer hanging up on us.
const HANG_UP_WAIT: Duration = Duration::from_millis(300);
/// The port of raw network printing (JetDirect, AppSocket).
pub const RAW_PORT: u16 = 9100;

const DLE_EOT: [u8; 2] = [0x10, 0x04];

/// Where a printer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterAddress {
    Network { host: String, port: u16 },
    Usb { vendor: u16, product: u16 },
    Path(PathBuf),
}

/// A terminal's printer: where it is and the paper it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printer {
    pub address: PrinterAddress,
    pub paper: Paper,
}

impl FromStr for Printer {
    type Err = PrintError;

    /// `tcp://HOST[:PORT]`, `usb:VID:PID` (hexadecimal) or a path, each optionally followed
    /// by `?paper=58` (or `?paper=80`, the default).
    fn from_str(raw: &str) -> Result<Printer, PrintError> {
        let bad = || PrintError::BadAddress(raw.to_string());
        let trimmed = raw.trim();
        let (location, paper) = match trimmed.rsplit_once("?paper=") {
            Some((location, "80")) => (location, Paper::Mm80),
            Some((location, "58")) => (location, Paper::Mm58),
            Some(_) => return Err(bad()),
            None => (trimmed, Paper::Mm80),
        };
        let address = if let Some(rest) = location.strip_prefix("tcp://") {
            let rest = rest.trim_end_matches('/');
            let (host, port) = match rest.rsplit_once(':') {
                // An IPv6 address without a port: "[::1]".
                Some((_, p)) if p.ends_with(']') => (rest, RAW_PORT),
                Some((host, port)) => (host, port.parse().map_err(|_| bad())?),
                None => (rest, RAW_PORT),
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() || port == 0 {
                return Err(bad());
            }
            PrinterAddress::Network {
                host: host.to_string(),
                port,
            }
        } else if let Some(rest) = location.strip_prefix("usb:") {
            let (vendor, product) = rest.split_once(':').ok_or_else(bad)?;
            let hex = |s: &str| {
                let s = s.trim_start_matches("0x");
                (s.len() == 4)
                    .then(|| u16::from_str_radix(s, 16).ok())
                    .flatten()
                    .ok_or_else(bad)
            };
            PrinterAddress::Usb {
                vendor: hex(vendor)?,
                product: hex(product)?,
            }
        } else if location.is_empty() || location.contains("://") {
            return Err(bad());
        } else {
            PrinterAddress::Path(PathBuf::from(location))
        };
        Ok(Printer { address, paper })
    }
}

impl fmt::Display for PrinterAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrinterAddress::Network { host, port } if host.contains(':') => {
                write!(f, "tcp://[{host}]:{port}")
            }
            PrinterAddress::Network { host, port } => write!(f, "tcp://{host}:{port}"),
            PrinterAddress::Usb { vendor, product } => write!(f, "usb:{vendor:04x}:{product:04x}"),
            PrinterAddress::Path(path) => write!(f, "{}", path.display()),
        }
    }
}

impl fmt::Display for Printer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.paper {
            Paper::Mm80 => write!(f, "{}", self.address),
            Paper::Mm58 => write!(f, "{}?paper=58", self.address),
        }
    }
}

/// What a printer says of itself when asked (DLE EOT 1, 2 and 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Status {
    pub offline: bool,
    pub paper_out: bool,
    pub cover_open: bool,
    pub fault: bool,
    /// The roll is nearly finished: printing still works.
    pub paper_low: bool,
}

impl Status {
    /// A real-time status byte always has bit 1 and 4 set and bits 0 and 7 clear.
    fn is_status_byte(b: u8) -> bool {
        b & 0x93 == 0x12
    }

    /// The answers to DLE EOT 1, 2 and 4, in that order; `None` if they are not status
    /// bytes (something else answers on that port).
    pub fn from_answers(answers: &[u8]) -> Option<Status> {
        if answers.is_empty() || !answers.iter().all(|b| Self::is_status_byte(*b)) {
            return None;
        }
        let mut s = Status {
            offline: answers[0] & 0x08 != 0,
            ..Status::default()
        };
        if let Some(cause) = answers.get(1) {
            s.cover_open = cause & 0x04 != 0;
            s.paper_out |= cause & 0x20 != 0;
            s.fault = cause & 0x40 != 0;
        }
        if let Some(paper) = answers.get(2) {
            s.paper_low = paper & 0x0C != 0;
            s.paper_out |= paper & 0x60 != 0;
        }
        Some(s)
    }

    /// Why this printer cannot print now, if it cannot.
    pub fn problem(&self) -> Option<PrintError> {
        if self.paper_out {
            Some(PrintError::PaperOut)
        } else if self.cover_open {
            Some(PrintError::CoverOpen)
        } else if self.fault {
            Some(PrintError::Fault)
        } else if self.offline {
            Some(PrintError::Offline)
        } else {
            None
        }
    }
}

/// A printer connection.
pub trait Device {
    /// Where the ticket goes, for messages.
    fn name(&self) -> String;
    /// The printer's real-time status; `None` when it does not answer status requests.
    fn status(&mut self) -> Result<Option<Status>, PrintError>;
    /// Send the stream; `Ok` once the printer has taken all of it, as far as it can tell.
    fn send(&mut self, stream: &[u8]) -> Result<(), PrintError>;
}

/// Ask the status, refuse to print on a printer that says it cannot, send.
pub fn deliver(device: &mut dyn Device, stream: &[u8]) -> Result<(), PrintError> {
    if let Some(problem) = device.status()?.and_then(|s| s.problem()) {
        return Err(problem);
    }
    device.send(stream)
}

/// Print `slip` on `printer`; the connection and the sending take at most [`DEADLINE`].
pub fn print(printer: &Printer, slip: &TicketSlip) -> Result<(), PrintError> {
    let stream = encode(&lines(slip, printer.paper), printer.paper)?;
    send_stream(printer, &stream)
}

/// Send a stream already encoded (a reprint of the same bytes, a test page).
pub fn send_stream(printer: &Printer, stream: &[u8]) -> Result<(), PrintError> {
    let deadline = Instant::now() + DEADLINE;
    let mut device = open(&printer.address, deadline)?;
    deliver(device.as_mut(), stream)
}

/// Connect to the printer at `address`, to be done by `deadline`.
pub fn open(address: &PrinterAddress, deadline: Instant) -> Result<Box<dyn Device>, PrintError> {
    match address {
        PrinterAddress::Network { host, port } => {
            Ok(Box::new(Network::connect(host, *port, deadline)?))
        }
        PrinterAddress::Usb { vendor, product } => {
            let path = usb_device_path(Path::new("/sys"), *vendor, *product)?;
            Ok(Box::new(DevicePath { path, deadline }))
        }
        PrinterAddress::Path(path) => Ok(Box::new(DevicePath {
            path: path.clone(),
            deadline,
        })),
    }
}

fn remaining(deadline: Instant, name: &str) -> Result<Duration, PrintError> {
    match deadline.checked_duration_since(Instant::now()) {
        Some(left) if left > Duration::from_millis(1) => Ok(left),
        _ => Err(PrintError::NoAnswer {
            printer: name.to_string(),
        }),
    }
}

/// A printer on the network, raw port 9100.
pub struct Network {
    stream: TcpStream,
    name: String,
    deadline: Instant,
    answers_status: bool,
}

impl Network {
    pub fn connect(host: &str, port: u16, deadline: Instant) -> Result<Network, PrintError> {
        let name = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let addresses = (host, port)
            .to_socket_addrs()
            .map_err(|e| PrintError::Unreachable {
                printer: name.clone(),
                detail: format!("unknown host ({e})"),
            })?;
        let mut last = None;
        for address in addresses {
            let left = remaining(deadline, &name)?;
            match TcpStream::connect_timeout(&address, left) {
                Ok(stream) => {
                    // Nagle would hold back the status request's few bytes.
                    let _ = stream.set_nodelay(true);
                    return Ok(Network {
                        stream,
                        name,
                        deadline,
                        answers_status: false,
                    });
                }
                Err(e) => last = Some(e),
            }
        }
        Err(match last {
            Some(e) => network_error(&name, &e),
            None => PrintError::Unreachable {
                printer: name,
                detail: "no address".into(),
            },
        })
    }

    /// Read up to `want` bytes, waiting at most `wait`; what came, or how the printer hung up.
    fn read_answers(&mut self, want: usize, wait: Duration) -> Result<Vec<u8>, PrintError> {
        let until = Instant::now() + wait.min(remaining(self.deadline, &self.name)?);
        let mut got = Vec::new();
        let mut buf = [0u8; 16];
        while got.len() < want {
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                break;
            };
            if left.is_zero() {
                break;
            }
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| io_error(&self.name, e))?;
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    return Err(PrintError::ClosedMidway {
                        printer: self.name.clone(),
                    });
                }
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    break;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(network_error(&self.name, &e)),
            }
        }
        Ok(got)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), PrintError> {
        let left = remaining(self.deadline, &self.name)?;
        self.stream
            .set_write_timeout(Some(left))
            .map_err(|e| io_error(&self.name, e))?;
        self.stream
            .write_all(bytes)
            .and_then(|()| self.stream.flush())
            .map_err(|e| network_error(&self.name, &e))
    }
}

impl Device for Network {
    fn name(&self) -> String {
        format!("tcp://{}", self.name)
    }

    fn status(&mut self) -> Result<Option<Status>, PrintError> {
        let mut ask = Vec::with_capacity(9);
        for n in [1, 2, 4] {
            ask.extend_from_slice(&DLE_EOT);
            ask.push(n);
        }
        self.write(&ask)?;
        let answers = self.read_answers(3, STATUS_WAIT)?;
        let status = Status::from_answers(&answers);
        self.answers_status = status.is_some();
        Ok(status)
    }

    fn send(&mut self, stream: &[u8]) -> Result<(), PrintError> {
        self.write(stream)?;
        if self.answers_status {
            // A printer answers a real-time request when the bytes before it have reached
            // it: the answer is the receipt for the whole ticket.
            self.write(&[DLE_EOT[0], DLE_EOT[1], 1])?;
            let answer = self.read_answers(1, DEADLINE)?;
            return match answer.first() {
                Some(b) => match Status::from_answers(&[*b]).and_then(|s| s.problem()) {
                    Some(problem) => Err(problem),
                    None => Ok(()),
                },
                None => Err(PrintError::NoAnswer {
                    printer: self.name.clone(),
                }),
            };
        }
        // A printer that never answers can still hang up on us: a moment's listening
        // catches one that took part of the ticket and closed.
        self.read_answers(1, HANG_UP_WAIT).map(|_| ())
    }
}

fn io_error(name: &str, e: std::io::Error) -> PrintError {
    PrintError::Io {
        context: name.to_string(),
        source: Arc::new(e),
    }
}

fn network_error(name: &str, e: &std::io::Error) -> PrintError {
    let printer = name.to_string();
    match e.kind() {
        ErrorKind::ConnectionRefused => PrintError::Refused { printer },
        ErrorKind::TimedOut | ErrorKind::WouldBlock => PrintError::NoAnswer { printer },
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe
        | ErrorKind::UnexpectedEof
        | ErrorKind::WriteZero => PrintError::ClosedMidway { printer },
        _ => PrintError::Unreachable {
            printer,
            detail: e.to_string(),
        },
    }
}

/// A device node (`/dev/usb/lp0`) or a plain file (for trying without a printer).
pub struct DevicePath {
    path: PathBuf,
    deadline: Instant,
}

impl Device for DevicePath {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// A device file gives no status back through a plain write.
    fn status(&mut self) -> Result<Option<Status>, PrintError> {
        Ok(None)
    }

    fn send(&mut self, stream: &[u8]) -> Result<(), PrintError> {
        let name = self.name();
        let path = self.path.clone();
        let stream = stream.to_vec();
        let (done, outcome) = std::sync::mpsc::channel();
        // A printer driver can block a write for as long as the printer is stuck: the
        // writing thread is left to it, and the desk hears back by the deadline.
        std::thread::spawn(move || {
            let _ = done.send(write_device(&path, &stream));
        });
        match outcome.recv_timeout(remaining(self.deadline, &name)?) {
            Ok(result) => result.map_err(|e| device_error(&name, &e)),
            Err(_) => Err(PrintError::NoAnswer { printer: name }),
        }
    }
}

fn write_device(path: &Path, stream: &[u8]) -> std::io::Result<()> {
    // A missing device node must not be created as a plain file under /dev.
    let is_device = path.starts_with("/dev");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(!is_device)
        .truncate(!is_device)
        .open(path)?;
    file.write_all(stream)?;
    file.flush()
}

fn device_error(name: &str, e: &std::io::Error) -> PrintError {
    let detail = match e.kind() {
        ErrorKind::NotFound => "no such device or folder (is the printer plugged in?)".to_string(),
        ErrorKind::PermissionDenied => {
            "permission denied (the user needs to be in the printer's group, often lp)".to_string()
        }
        _ => e.to_string(),
    };
    PrintError::Device {
        path: name.to_string(),
        detail,
    }
}

/// The device node of the USB printer `vendor:product`: Linux's usblp driver makes each
/// printer a `/dev/usb/lpN`, and sysfs says which ids each one has. Reading sysfs needs no
/// USB library and leaves the printer to the driver that already holds it.
pub fn usb_device_path(sys: &Path, vendor: u16, product: u16) -> Result<PathBuf, PrintError> {
    if !cfg!(target_os = "linux") {
        return Err(PrintError::UsbUnsupported);
    }
    let class = sys.join("class").join("usbmisc");
    let not_connected = || PrintError::UsbNotConnected { vendor, product };
    let entries = std::fs::read_dir(&class).map_err(|_| not_connected())?;
    let id = |dir: &Path, file: &str| {
        std::fs::read_to_string(dir.join(file))
            .ok()
            .and_then(|s| u16::from_str_radix(s.trim(), 16).ok())
    };
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("lp"))
        .filter(|name| {
            // device -> the USB interface; its parent is the USB device with the ids.
            let usb_device = class.join(name).join("device").join("..");
            id(&usb_device, "idVendor") == Some(vendor)
                && id(&usb_device, "idProduct") == Some(product)
        })
        .collect();
    found.sort();
    found
        .first()
        .map(|name| PathBuf::from("/dev/usb").join(name))
        .ok_or_else(not_connected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_addresses_parse_and_print_back() {
        for (raw, shown) in [
            ("tcp://192.168.1.50:9100", "tcp://192.168.1.50:9100"),
            ("tcp://printer.local", "tcp://printer.local:9100"),
            ("tcp://[::1]:9101?paper=58", "tcp://[::1]:9101?paper=58"),
            ("usb:04b8:0e15", "usb:04b8:0e15"),
            ("usb:0x0416:0x5011?paper=58", "usb:0416:5011?paper=58"),
            ("/dev/usb/lp0", "/dev/usb/lp0"),
            ("ticket.bin?paper=80", "ticket.bin"),
        ] {
            let printer: Printer = raw.parse().unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(printer.to_string(), shown);
        }
        let p: Printer = "tcp://10.0.0.9:9100?paper=58".parse().expect("parsed");
        assert_eq!(p.paper, Paper::Mm58);
        for bad in [
            "",
            "tcp://",
            "tcp://host:port",
            "tcp://host:0",
            "usb:4b8:e15",
            "usb:04b8",
            "http://printer",
            "lp0?paper=57",
        ] {
            assert!(
                matches!(bad.parse::<Printer>(), Err(PrintError::BadAddress(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn status_bytes_say_paper_out_cover_open_offline() {
        let fine = Status::from_answers(&[0x12, 0x12, 0x12]).expect("status");
        assert_eq!(fine.problem().map(|e| e.to_string()), None);
        let no_paper = Status::from_answers(&[0x1A, 0x32, 0x72]).expect("status");
        assert!(matches!(no_paper.problem(), Some(PrintError::PaperOut)));
        let cover = Status::from_answers(&[0x1A, 0x16, 0x12]).expect("status");
        assert!(matches!(cover.problem(), Some(PrintError::CoverOpen)));
        let low = Status::from_answers(&[0x12, 0x12, 0x1E]).expect("status");
        assert!(low.paper_low && low.problem().is_none());
        assert_eq!(Status::from_answers(b"OK"), None, "not a printer's status");
        assert_eq!(Status::from_answers(&[]), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn usb_ids_are_found_through_sysfs() {
        let sys = tempfile::tempdir().expect("temp dir");
        let usb_device = sys.path().join("devices").join("1-1");
        let interface = usb_device.join("1-1:1.0");
        std::fs::create_dir_all(&interface).expect("dirs");
        std::fs::write(usb_device.join("idVendor"), "0416\n").expect("written");
        std::fs::write(usb_device.join("idProduct"), "5011\n").expect("written");
        let class = sys.path().join("class").join("usbmisc").join("lp1");
        std::fs::create_dir_all(&class).expect("dirs");
        std::os::unix::fs::symlink(&interface, class.join("device")).expect("link");
        assert_eq!(
            usb_device_path(sys.path(), 0x0416, 0x5011).expect("found"),
            PathBuf::from("/dev/usb/lp1")
        );
        assert!(matches!(
            usb_device_path(sys.path(), 0x04b8, 0x0e15),
            Err(PrintError::UsbNotConnected { .. })
        ));
    }

    #[test]
    fn a_file_receives_the_stream() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("ticket.bin");
        let printer: Printer = path.display().to_string().parse().expect("a path");
        send_stream(&printer, b"\x1b@hello\x1dVA\x00").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"\x1b@hello\x1dVA\x00");
        let missing: Printer = "/dev/usb/lp-none".parse().expect("a path");
        assert!(matches!(
            send_stream(&missing, b"x"),
            Err(PrintError::Device { .. })
        ));
        assert!(!Path::new("/dev/usb/lp-none").exists());
    }
}
