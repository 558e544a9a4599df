import AmpfixCore
import AmpfixTestSupport
import Testing

/// Fault 19's decisions from SELinux facts (libsemanage itself is exercised on a real module
/// store in AmpfixSELinuxTests and through the binary).
@Suite struct SELinuxModuleFaultTests {
    struct Facts: SELinuxFacts {
        var mode: SELinuxMode = .enforcing
        var store: String? = "targeted"
        var installed: InstalledModule?
        var access: AccessCheck = .granted(SELinuxModuleFault.permissions)
        var builtMatches: Bool? = true
        func status() throws -> SELinuxStatus { SELinuxStatus(mode: mode, configuredMode: mode, policyType: store, source: .msg("test")) }
        func activeModule(_ name: String, store: String) throws -> InstalledModule? { installed }
        func checkAccess(sourceType: String, targetClass: String, permissions: [String], store: String, thorough: Bool) -> AccessCheck { access }
        func builtPolicyMatchesStore(_ store: String) throws -> Bool? { builtMatches }
    }

    static let shipped = ShippedPolicyModule(name: "cisco-secure-bpf", path: "/usr/share/ampfix/policy/cisco-secure-bpf.cil",
                                             content: FileContent("(allow unconfined_service_t self (bpf (prog_load)))"), languageExtension: "cil")

    static func installed(enabled: Bool = true, content: FileContent = shipped.content, priority: UInt16 = 400) -> InstalledModule {
        InstalledModule(name: "cisco-secure-bpf", priority: priority, enabled: enabled, languageExtension: "cil", content: content)
    }

    static func diagnose(_ facts: Facts, shipped: Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError> = .success(shipped)) -> Finding {
        SELinuxModuleFault(selinux: facts, shipped: shipped).diagnose(MemoryFacts())
    }

    @Test func onlyEnforcingModeCanRaiseIt() {
        #expect(Self.diagnose(Facts(mode: .disabled)).status == .notApplicable)
        #expect(Self.diagnose(Facts(mode: .permissive)).status == .ok)
        #expect(Self.diagnose(Facts(store: nil)).status == .unknown, "no SELINUXTYPE: no store to look in")
    }

    /// The shipped module is read (and parsed) only where the decision needs it: enforcing mode
    /// with a store; never on a host where SELinux is off or permissive.
    @Test func theShippedModuleIsReadOnlyWhenEnforcing() {
        final class Reads { var count = 0 }
        for (mode, expected) in [(SELinuxMode.disabled, 0), (.permissive, 0), (.enforcing, 1)] {
            let reads = Reads()
            let check = SELinuxModuleFault(selinux: Facts(mode: mode), shipped: { reads.count += 1; return .success(Self.shipped) }())
            _ = check.diagnose(MemoryFacts(), depth: .quick)
            #expect(reads.count == expected, "\(mode): read \(reads.count) times")
        }
    }

    @Test func aMissingModuleIsInstalledAtThePackagedPriority() throws {
        let finding = Self.diagnose(Facts())
        #expect(finding.status == .present)
        let change = try #require(finding.repairs.first?.as(PolicyModuleChange.self))
        #expect(finding.repairs.count == 1 && change.store == "targeted" && change.name == "cisco-secure-bpf")
        #expect(change.before.content == nil && change.after.content == Self.shipped.content)
        #expect(change.after.priority == SELinuxModuleFault.packagedPriority && change.after.enabled)
    }

    @Test func aDisabledOrDifferentModuleIsReplacedWhereItIsActive() throws {
        for installed in [Self.installed(enabled: false), Self.installed(content: FileContent("(old)"))] {
            let finding = Self.diagnose(Facts(installed: installed))
            #expect(finding.status == .present)
            let change = try #require(finding.repairs.first?.as(PolicyModuleChange.self))
            #expect(change.before.priority == 400 && change.after.priority == 400, "the priority where it is active")
            #expect(change.after.enabled && change.after.content == Self.shipped.content)
        }
    }

    @Test func anIdenticalEnabledModuleIsOkAndCostsNoChange() {
        let finding = Self.diagnose(Facts(installed: Self.installed()))
        #expect(finding.status == .ok && finding.repairs.isEmpty)
    }

    @Test func aDenialDecidesEvenWithTheModuleInPlace() {
        let finding = Self.diagnose(Facts(installed: Self.installed(), access: .denied(missing: ["prog_load"])))
        #expect(finding.status == .present && finding.repairs.isEmpty)
        #expect(finding.evidence.last?.contains("the module does not grant what the connector needs") == true)
    }

    @Test func aStaleBuiltPolicyIsPresentWithTheRebuildToRun() {
        let finding = Self.diagnose(Facts(installed: Self.installed(), builtMatches: false))
        #expect(finding.status == .present && finding.repairs.isEmpty)
        #expect(finding.manualSteps.first?.hasPrefix("Rebuild the policy from the store: semodule -s targeted -B") == true)
    }

    @Test func withoutTheShippedModuleNothingIsPlannedButAnEnabledOneStaysOk() {
        let unreadable = Result<ShippedPolicyModule, SELinuxModuleFault.ShippedModuleError>.failure(.init("cannot read /nowhere.cil"))
        let missing = Self.diagnose(Facts(), shipped: unreadable)
        #expect(missing.status == .present && missing.repairs.isEmpty)
        #expect(missing.manualSteps.first?.contains("--policy-module") == true)
        #expect(Self.diagnose(Facts(installed: Self.installed()), shipped: unreadable).status == .ok)
    }
}
