import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct ScanUserFaultTests {
    static let brokenHost = MemoryFacts(
        files: [
            AccountDatabase.passwdPath: "root:x:0:0::/root:/bin/bash\n",
            AccountDatabase.groupPath: "root:x:0:\n",
            AccountDatabase.shadowPath: "root:*:1:0:99999:7:::\n",
            ScanUserFault.loginDefsPath: "USERGROUPS_ENAB no\n",
            "/sbin/nologin": "",
        ],
        trees: ["/opt/cisco": DirectoryTree(requested: "/opt/cisco", resolved: "/opt/cisco", directories: [
            DirectoryEntry(path: "/opt/cisco", attributes: DirectoryAttributes(mode: 0o755, uid: 0, gid: 0)),
        ], symlinks: [])],
        services: ["cisco-amp": .manageable]
    )

    @Test func aRepairOnALiveHostEndsWithARestart() {
        let finding = ScanUserFault().diagnose(Self.brokenHost)
        #expect(finding.status == .present)
        #expect(finding.repairs.map(\.kind) == [.createUser, .restartService])
        let account = ServiceAccount(name: "cisco-amp-scan-svc", home: "/opt/cisco/amp", shell: "/sbin/nologin", comment: ScanUserFault.accountComment)
        #expect(finding.repairs.first == .createUser(account, ownGroup: true))
        #expect(finding.evidence.contains { $0.hasPrefix("USERGROUPS_ENAB no at \(ScanUserFault.loginDefsPath):1: useradd creates no group") })
        #expect(ScanUserFault().stepsAfterRepair(Self.brokenHost).isEmpty)
    }

    @Test func oneHealthyDirectoryIsCountedInTheSingular() {
        let evidence = ScanUserFault().diagnose(Self.brokenHost).evidenceText
        #expect(evidence.contains("1 directory under /opt/cisco is mode 0755 owned by root"), "\(evidence)")
    }

    @Test func noRestartWhenAskedNotToOrWhenTheServiceCannotBeManaged() {
        let noRestart = ScanUserFault(options: RepairOptions(restartConnector: false))
        let finding = noRestart.diagnose(Self.brokenHost)
        #expect(finding.repairs.map(\.kind) == [.createUser])
        #expect(finding.evidenceText.contains("the connector will not be restarted after the repair: --no-restart was given"))
        #expect(noRestart.stepsAfterRepair(Self.brokenHost).first?.contains("systemctl restart cisco-amp") == true)

        var container = Self.brokenHost
        container.services = ["cisco-amp": .unavailable(.msg("systemd is not running here (a container or another init)"))]
        #expect(ScanUserFault().diagnose(container).repairs.map(\.kind) == [.createUser])
    }

    @Test func aHealthyAccountNeedsNothingButItsOddsAreReported() {
        var host = Self.brokenHost
        host.files[AccountDatabase.passwdPath]! += "cisco-amp-scan-svc:x:1500:990::/home/scan:/bin/bash\n"
        host.files[AccountDatabase.groupPath]! += "cisco-amp-scan-svc:x:990:\n"
        var locked = host
        locked.files[AccountDatabase.shadowPath]! += "cisco-amp-scan-svc:!$6$abc:1:0:99999:7:::\n"
        let finding = ScanUserFault().diagnose(locked)
        #expect(finding.status == .ok)
        #expect(finding.repairs.isEmpty)
        #expect(finding.evidenceText.contains("warning: uid 1500 is outside the system range 101-999"))
        #expect(finding.evidenceText.contains("warning: cisco-amp-scan-svc has the login shell '/bin/bash'; expected a non-login shell such as /usr/sbin/nologin"))

        // A login shell and a password that is not locked: a way in, so the fault is present.
        host.files[AccountDatabase.shadowPath]! += "cisco-amp-scan-svc:$6$abc:1:0:99999:7:::\n"
        let open = ScanUserFault().diagnose(host)
        #expect(open.status == .present)
        #expect(open.repairs.isEmpty, "explained, never changed")
        #expect(open.evidenceText.contains("warning: the password of cisco-amp-scan-svc is not locked at \(AccountDatabase.shadowPath):2"))
        #expect(open.stepsText.contains { $0.hasPrefix("Lock it: usermod -L -s ") })
    }

    /// Ways in that were ok before: no shadow entry (or no shadow file) with an empty or hashed
    /// password in passwd itself; a second shadow line that locks while the first (the one
    /// glibc and PAM use) does not; an own group with gid 0.
    @Test(arguments: [
        ("cisco-amp-scan-svc::990:990::/opt/cisco/amp:/bin/bash\n", "cisco-amp-scan-svc:x:990:\n", nil as String?, "no password at all"),
        ("cisco-amp-scan-svc:$6$salt$hash:990:990::/opt/cisco/amp:/bin/bash\n", "cisco-amp-scan-svc:x:990:\n", nil, "a password that is not locked (/etc/passwd:2)"),
        ("cisco-amp-scan-svc:x:990:990::/opt/cisco/amp:/bin/bash\n", "cisco-amp-scan-svc:x:990:\n",
         "cisco-amp-scan-svc:$6$open:1:0:99999:7:::\ncisco-amp-scan-svc:!:1:0:99999:7:::\n", "a password that is not locked (/etc/shadow:2)"),
        ("cisco-amp-scan-svc:x:990:0::/opt/cisco/amp:/usr/sbin/nologin\n", "cisco-amp-scan-svc:x:0:\n",
         "cisco-amp-scan-svc:!:1:0:99999:7:::\n", "the primary group of cisco-amp-scan-svc is gid 0"),
    ])
    func aScanAccountThatIsAWayInIsNeverOK(passwd: String, group: String, shadow: String?, said: String) {
        var host = Self.brokenHost
        host.files[AccountDatabase.passwdPath]! += passwd
        host.files[AccountDatabase.groupPath]! += group
        if let shadow { host.files[AccountDatabase.shadowPath]! += shadow }
        let finding = ScanUserFault().diagnose(host)
        #expect(finding.status == .present, "\(finding.evidenceText)")
        #expect(finding.evidenceText.contains { $0.contains(said) }, "\(finding.evidenceText)")
        var noShadowFile = host
        noShadowFile.files.removeValue(forKey: AccountDatabase.shadowPath)
        if shadow == nil { #expect(ScanUserFault().diagnose(noShadowFile).status == .present) }
        // The same account locked, with a shell that is no login and its own group: ok.
        var locked = Self.brokenHost
        locked.files[AccountDatabase.passwdPath]! += "cisco-amp-scan-svc:x:990:990::/opt/cisco/amp:/bin/bash\n"
        locked.files[AccountDatabase.groupPath]! += "cisco-amp-scan-svc:x:990:\n"
        locked.files[AccountDatabase.shadowPath]! += "cisco-amp-scan-svc:!:1:0:99999:7:::\ncisco-amp-scan-svc:$6$later:1:0:99999:7:::\n"
        #expect(ScanUserFault().diagnose(locked).status == .ok)
    }

    /// An account's lines are found by byte: a CRLF account file was one "line" to Character
    /// splitting, so nothing was journaled for undo to compare.
    @Test func anAccountsLinesAreFoundInCRLFFiles() {
        let texts: [String: String?] = ["passwd": "root:x:0:0::/root:/bin/bash\r\ncisco-amp-scan-svc:x:990:990::/opt/cisco/amp:/usr/sbin/nologin\r\n",
                                        "group": "root:x:0:\r\ncisco-amp-scan-svc:x:990:\r\n", "shadow": nil, "gshadow": nil]
        let lines = AccountLines.of("cisco-amp-scan-svc", in: texts)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("passwd:cisco-amp-scan-svc:x:990:990:") == true, "\(lines)")
    }

    @Test func unreadableAccountFilesMakeTheFaultUnknown() {
        var host = Self.brokenHost
        host.unreadable = [AccountDatabase.shadowPath]
        let finding = ScanUserFault().diagnose(host)
        #expect(finding.status == .unknown)
        #expect(finding.evidenceText.contains("cannot check the scan account: cannot open \(AccountDatabase.shadowPath): Permission denied"))
    }
}
