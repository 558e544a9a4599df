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

    @Test func unreadableAccountFilesMakeTheFaultUnknown() {
        var host = Self.brokenHost
        host.unreadable = [AccountDatabase.shadowPath]
        let finding = ScanUserFault().diagnose(host)
        #expect(finding.status == .unknown)
        #expect(finding.evidenceText.contains("cannot check the scan account: cannot open \(AccountDatabase.shadowPath): Permission denied"))
    }
}
