package io.ekslookout.export;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FindingTypesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "T1611      | TTPs/Privilege Escalation/T1611 Escape to Host",
            "T1098.006  | TTPs/Persistence/T1098.006 Account Manipulation",
            "T1610      | TTPs/Execution/T1610 Deploy Container",
            "T1190      | TTPs/Initial Access/T1190 Exploit Public-Facing Application",
            "T1552.007  | TTPs/Credential Access/T1552.007 Unsecured Credentials",
            "T1562.001  | TTPs/Defense Evasion/T1562.001 Impair Defenses",
            "T1053.007  | TTPs/Execution/T1053.007 Scheduled Task-Job",
            "T1548      | TTPs/Privilege Escalation/T1548 Abuse Elevation Control Mechanism",
            "T1499      | Effects/Denial of Service/T1499 Endpoint Denial of Service",
            "T9999      | Software and Configuration Checks/eks-lookout/T9999",
            "rbac       | Software and Configuration Checks/eks-lookout/rbac",
            "Unusual Behaviors/User/Odd | Unusual Behaviors/User/Odd"})
    void oneTagOneType(String tag, String type) {
        assertThat(FindingTypes.asff("r", List.of(tag))).containsExactly(type);
    }

    @Test
    void duplicatesAreDroppedAndARuleWithoutTagsStillHasOneType() {
        assertThat(FindingTypes.asff("r", List.of("T1098", "T1098", "T1611"))).hasSize(2);
        assertThat(FindingTypes.asff("my-rule", List.of())).containsExactly(
                "Software and Configuration Checks/eks-lookout/my-rule");
    }

    @Test
    void typesStayWithinAsffLimits() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 80; i++) {
            many.add("label-" + i + "-" + "y".repeat(200));
        }
        List<String> types = FindingTypes.asff("r", many);
        assertThat(types).hasSize(50);
        assertThat(types).allSatisfy(t -> assertThat(t.length()).isLessThanOrEqualTo(128));
    }

    @Test
    void everyAttackTagOfTheBundledRulesIsInTheTable() throws Exception {
        RuleSet set = RuleLoader.loadDirectory(Path.of(System.getProperty("repo.root"), "rules"));
        set.rules().forEach(r -> r.tags().stream().filter(t -> t.matches("T\\d{4}(\\.\\d{3})?")).forEach(t ->
                assertThat(FindingTypes.technique(t)).as(r.id() + " tag " + t).isNotNull()));
    }
}
