package org.lms.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: interfaces -> application -> domain <- infrastructure. */
class LayerRulesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMain() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.lms");
  }

  @Test
  void theDomainImportsNoFramework() {
    noClasses()
        .that()
        .resideInAPackage("org.lms.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta..",
            "javax..",
            "org.eclipse..",
            "org.apache..",
            "io.grpc..",
            "com.google..",
            "com.mongodb..",
            "org.bson..",
            "de.bwaldvogel..")
        .because("the state machine must be deterministic and framework-free (DESIGN §4)")
        .check(classes);
  }

  @Test
  void theDomainKnowsNoOuterLayer() {
    noClasses()
        .that()
        .resideInAPackage("org.lms.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.lms.application..", "org.lms.infrastructure..", "org.lms.interfaces..")
        .check(classes);
  }

  @Test
  void theDomainReadsNoClockNoRandomAndNoFiles() {
    noClasses()
        .that()
        .resideInAPackage("org.lms.domain..")
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.security.SecureRandom")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.UUID")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.io..", "java.nio..", "java.net..")
        .because("apply(index, command) must give the same result on every node")
        .check(classes);
  }

  @Test
  void theApplicationKnowsNoAdapterAndNoInterface() {
    noClasses()
        .that()
        .resideInAPackage("org.lms.application..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.lms.infrastructure..",
            "org.lms.interfaces..",
            "org.apache.ratis..",
            "io.grpc..",
            "com.mongodb..",
            "org.eclipse.jnosql..")
        .check(classes);
  }

  @Test
  void adaptersDoNotReachIntoInterfaces() {
    noClasses()
        .that()
        .resideInAPackage("org.lms.infrastructure..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.lms.interfaces..")
        .check(classes);
  }
}
