#!/usr/bin/python3
"""Runs a command against a simulated BlueZ with one Bluetooth LE receipt printer.

Usage: mock_printer.py OUT_FILE COMMAND [ARG...]

A private system bus and python-dbusmock's bluez5 template stand in for BlueZ; the printer
AA:BB:CC:DD:EE:FF advertises service 18F0 and takes writes on characteristic 2AF1. The command
runs with DBUS_SYSTEM_BUS_ADDRESS pointing at the private bus; afterwards the bytes the printer
received go to OUT_FILE and the size of each write to OUT_FILE.sizes, and the command's exit
status is this script's.
"""

import subprocess
import sys

import dbus
import dbusmock
from dbusmock import DBusTestCase

SERVICE = "000018f0-0000-1000-8000-00805f9b34fb"
WRITE = "00002af1-0000-1000-8000-00805f9b34fb"
GATT_SERVICE = "org.bluez.GattService1"
GATT_CHAR = "org.bluez.GattCharacteristic1"


def main():
    out_file, command = sys.argv[1], sys.argv[2:]
    DBusTestCase.start_system_bus()
    server, _ = DBusTestCase.spawn_server_template("bluez5", {}, subprocess.DEVNULL)
    try:
        bus = DBusTestCase.get_dbus(system_bus=True)
        root = bus.get_object("org.bluez", "/")
        mock = dbus.Interface(bus.get_object("org.bluez", "/org/bluez"), "org.bluez.Mock")
        mock.AddAdapter("hci0", "kasir-ci")
        device = mock.AddDevice("hci0", "AA:BB:CC:DD:EE:FF", "Mock Printer")
        dev = dbus.Interface(bus.get_object("org.bluez", device), dbusmock.MOCK_IFACE)
        dev.UpdateProperties(
            "org.bluez.Device1", {"UUIDs": dbus.Array([SERVICE], signature="s")}
        )
        dev.AddMethod(
            "org.bluez.Device1",
            "Connect",
            "",
            "",
            'self.UpdateProperties("org.bluez.Device1", {'
            '"Connected": dbus.Boolean(True, variant_level=1), '
            '"ServicesResolved": dbus.Boolean(True, variant_level=1)})',
        )
        service = device + "/service0010"
        char = service + "/char0011"
        add = dbus.Interface(root, dbusmock.MOCK_IFACE)
        add.AddObject(
            service,
            GATT_SERVICE,
            {
                "UUID": dbus.String(SERVICE),
                "Primary": dbus.Boolean(True),
                "Device": dbus.ObjectPath(device),
            },
            [("Ping", "", "", "")],
        )
        add.AddObject(
            char,
            GATT_CHAR,
            {
                "UUID": dbus.String(WRITE),
                "Service": dbus.ObjectPath(service),
                "Flags": dbus.Array(["write", "write-without-response"], signature="s"),
                "Value": dbus.Array([], signature="y"),
                "MTU": dbus.UInt16(185),
            },
            [
                (
                    "WriteValue",
                    "aya{sv}",
                    "",
                    'self.received = getattr(self, "received", b"") + bytes(args[0]); '
                    'self.sizes = getattr(self, "sizes", []) + [len(args[0])]',
                ),
                ("ReadValue", "a{sv}", "ay", 'ret = getattr(self, "received", b"")'),
                ("Sizes", "", "aq", 'ret = getattr(self, "sizes", [])'),
                ("StartNotify", "", "", ""),
                ("StopNotify", "", "", ""),
            ],
        )
        status = subprocess.run(command, check=False).returncode
        received = bus.get_object("org.bluez", char).ReadValue({}, dbus_interface=GATT_CHAR)
        sizes = bus.get_object("org.bluez", char).Sizes(dbus_interface=GATT_CHAR)
        with open(out_file, "wb") as f:
            f.write(bytes(received))
        with open(out_file + ".sizes", "w", encoding="ascii") as f:
            f.write(" ".join(str(int(n)) for n in sizes))
        return status
    finally:
        server.terminate()
        server.wait()
        DBusTestCase.stop_dbus(DBusTestCase.system_bus_pid)


if __name__ == "__main__":
    sys.exit(main())
