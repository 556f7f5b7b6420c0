//! Settings: one value per key, shared by every terminal of the register.

use super::Engine;

pub fn a_setting_is_read_back_overwritten_and_shared(engine: &dyn Engine) {
    let mut reg = engine.fresh();
    let mut desk = reg.another();
    let store = &mut reg.store;
    let printer = "printer";
    let idle = "idle_lock_minutes";
    assert_eq!(store.setting(printer).unwrap(), None, "unset");

    store
        .set_setting(printer, "tcp://192.168.1.50:9100")
        .unwrap();
    store.set_setting(idle, "3").unwrap();
    assert_eq!(
        store.setting(printer).unwrap().as_deref(),
        Some("tcp://192.168.1.50:9100")
    );
    assert_eq!(store.setting(idle).unwrap().as_deref(), Some("3"));

    // Overwritten: the new value, not a second one.
    store.set_setting(printer, "usb:0416:5011").unwrap();
    assert_eq!(
        store.setting(printer).unwrap().as_deref(),
        Some("usb:0416:5011")
    );
    // Another terminal reads it, and writes what the first one then reads.
    assert_eq!(
        desk.setting(printer).unwrap().as_deref(),
        Some("usb:0416:5011")
    );
    desk.set_setting(idle, "15").unwrap();
    assert_eq!(store.setting(idle).unwrap().as_deref(), Some("15"));
    // Values are kept as given, spaces and accents included; an empty one too.
    let label = " Sportello 3 — Città ";
    desk.set_setting("desk_label", label).unwrap();
    assert_eq!(store.setting("desk_label").unwrap().as_deref(), Some(label));
    store.set_setting("desk_label", "").unwrap();
    assert_eq!(desk.setting("desk_label").unwrap().as_deref(), Some(""));
    assert_eq!(desk.setting("Printer").unwrap(), None, "keys are exact");
}
