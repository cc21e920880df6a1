// What labs that run Argo workflows share: the executor RBAC a lab namespace needs, and the Workflow that runs a
// WorkflowTemplate with given parameters (what a trainee without the argo CLI creates with kubectl).

/** Role + RoleBinding `argo-executor`: argoexec (the `wait` container) reports each step's result as a
 *  WorkflowTaskResult with the pod's service account (`default`). */
export function argoExecutorRbac(ns: string): object[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'argo-executor', namespace: ns },
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'argo-executor', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'argo-executor' },
      subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }],
    },
  ];
}

/** A Workflow (generateName) that runs WorkflowTemplate `template` with these parameters, as YAML for kubectl create. */
export function workflowFromTemplateYaml(template: string, params: Record<string, string>): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ${template}-
spec:
  workflowTemplateRef:
    name: ${template}
  arguments:
    parameters:
${Object.entries(params).map(([k, v]) => `      - name: ${k}\n        value: "${v}"\n`).join('')}`;
}
