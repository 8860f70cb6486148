// RUN: python3 %repo/scripts/api-docs --check | FileCheck %s
// docs/api/ is current: regenerating it from include/cprime/ changes nothing,
// so every public declaration of every header is in the reference.
// CHECK: api-docs: {{[0-9]+}} pages current
